// Pipelined adder tree: N inputs of W bits -> their sum after $clog2(N) register stages (0 stages for N = 1).
// Level l holds ceil(N / 2^l) values; a value without a partner passes through its stage unchanged.
module lowbit_adder_tree #(
    parameter integer N = 4,
    parameter integer W = 32
) (
    /* verilator lint_off UNUSEDSIGNAL */ // no register when N = 1
    input  wire           clk,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [N*W-1:0] in,
    output wire [W-1:0]   sum
);
    localparam integer L = $clog2(N);
    // all levels flattened: value i of level l at bits [(l*N + i)*W +: W]
    /* verilator lint_off UNUSEDSIGNAL */ // slots beyond ceil(N/2^l) of the upper levels are never driven or read
    /* verilator lint_off UNDRIVEN */
    wire [(L+1)*N*W-1:0] lv;
    /* verilator lint_on UNDRIVEN */
    /* verilator lint_on UNUSEDSIGNAL */
    assign lv[N*W-1:0] = in;
    genvar l, i;
    generate
        for (l = 1; l <= L; l = l + 1) begin : g_level
            localparam integer NPREV = (N + (1 << (l - 1)) - 1) >> (l - 1);
            localparam integer NCUR  = (N + (1 << l) - 1) >> l;
            for (i = 0; i < NCUR; i = i + 1) begin : g_node
                reg [W-1:0] r;
                if (2 * i + 1 < NPREV) begin : g_add
                    always @(posedge clk) r <= lv[((l-1)*N + 2*i)*W +: W] + lv[((l-1)*N + 2*i + 1)*W +: W];
                end else begin : g_pass
                    always @(posedge clk) r <= lv[((l-1)*N + 2*i)*W +: W];
                end
                assign lv[(l*N + i)*W +: W] = r;
            end
        end
    endgenerate
    assign sum = lv[L*N*W +: W];
endmodule
