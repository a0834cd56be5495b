// Reconfigurable convolution array (paper Fig. 7-10): PES chained PEs over one input channel.
// Kernels of T = taps <= PES weights occupy segments [s*T, (s+1)*T) side by side (slots = PES / T); the first PE of
// each segment starts from 0. Weights are preloaded into shadow registers one PE per cycle (shift_en) while the
// previous pass streams, and copied to the active registers, together with T, on load (the pass's first pixel).
module lowbit_rca #(
    parameter integer PES  = 25,
    parameter integer DW   = 9,
    parameter integer WW   = 8,
    parameter integer ACCW = 32,
    parameter integer TW   = 5    // bits of T
) (
    input  wire                  clk,
    input  wire                  shift_en,
    input  wire [WW-1:0]         shift_in,
    input  wire                  load,
    input  wire [TW-1:0]         taps,      // T of the pass being loaded
    input  wire                  en,
    input  wire signed [DW-1:0]  x,
    output wire [PES*ACCW-1:0]   chain,     // PE p's partial sum at bits [p*ACCW +: ACCW]
    output reg  [TW-1:0]         taps_q     // T of the running pass
);
    reg [WW-1:0] shadow [0:PES-1];
    reg [WW-1:0] weight [0:PES-1];
    integer k;
    always @(posedge clk) begin
        if (shift_en) begin
            shadow[0] <= shift_in;
            for (k = 1; k < PES; k = k + 1) shadow[k] <= shadow[k-1];
        end
        if (load) begin
            // the preload's last shift may land on this edge (the timing model lets a pass start as its preload
            // completes): take the shifted values (bypass)
            weight[0] <= shift_en ? shift_in : shadow[0];
            for (k = 1; k < PES; k = k + 1) weight[k] <= shift_en ? shadow[k-1] : shadow[k];
            taps_q <= taps;
        end
    end

    // PE p starts a segment iff T divides p; the divisors of the constant p are known at elaboration.
    function seg_start_of(input integer p, input [TW-1:0] t);
        integer d;
        begin
            seg_start_of = (p == 0);
            for (d = 1; d <= p; d = d + 1)
                if (p % d == 0 && {{(32-TW){1'b0}}, t} == d) seg_start_of = 1'b1;
        end
    endfunction

    wire [(PES+1)*ACCW-1:0] link;
    assign link[ACCW-1:0] = {ACCW{1'b0}};
    genvar p;
    generate
        for (p = 0; p < PES; p = p + 1) begin : g_pe
            wire signed [ACCW-1:0] out;
            lowbit_pe #(.DW(DW), .WW(WW), .ACCW(ACCW)) u_pe (
                .clk(clk), .en(en), .seg_start(seg_start_of(p, taps_q)), .x(x), .w(weight[p]),
                .psum_in(link[p*ACCW +: ACCW]), .psum_out(out));
            assign link[(p+1)*ACCW +: ACCW] = out;
        end
    endgenerate
    assign chain = link[(PES+1)*ACCW-1:ACCW];
endmodule
