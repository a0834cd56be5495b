// A W-bit shift register of D stages (D = 0: a wire): carries the tags of a pixel beside its data.
module lowbit_delay #(
    parameter integer W = 1,
    parameter integer D = 1
) (
    /* verilator lint_off UNUSEDSIGNAL */ // no register when D = 0
    input  wire         clk,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [W-1:0] in,
    output wire [W-1:0] out
);
    generate
        if (D == 0) begin : g_wire
            assign out = in;
        end else begin : g_regs
            reg [W-1:0] r [0:D-1];
            integer k;
            always @(posedge clk) begin
                r[0] <= in;
                for (k = 1; k < D; k = k + 1) r[k] <= r[k-1];
            end
            assign out = r[D-1];
        end
    endgenerate
endmodule
