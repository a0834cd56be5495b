// One processing element of an RCA chain: psum_out <= psum_in + w * x.
// The chain is a transposed FIR: x is broadcast to every PE, the partial sum moves one PE per cycle, so the
// product enters the sum the cycle its input arrives (no input delay line). seg_start cuts the chain into
// segments (one kernel each): the first PE of a segment starts from 0 instead of its predecessor's sum.
module lowbit_pe #(
    parameter integer DW   = 9,   // centred activation x - Z_in (signed)
    parameter integer WW   = 8,   // decoded weight (signed)
    parameter integer ACCW = 32   // partial sum
) (
    input  wire                   clk,
    input  wire                   en,
    input  wire                   seg_start,
    input  wire signed [DW-1:0]   x,
    input  wire signed [WW-1:0]   w,
    input  wire signed [ACCW-1:0] psum_in,
    output reg  signed [ACCW-1:0] psum_out
);
    wire signed [DW+WW-1:0] prod = x * w;
    wire signed [ACCW-1:0]  prod_ext = {{(ACCW-DW-WW){prod[DW+WW-1]}}, prod};
    always @(posedge clk) begin
        if (en) psum_out <= (seg_start ? {ACCW{1'b0}} : psum_in) + prod_ext;
    end
endmodule
