// One processing element of a module's chain: psum_out <= psum_in + term, where term is the sum over the module's
// PI RCAs of their products at this PE position (lowbit_rca: each RCA's PE p selects x_i * w_{i,p}; the adder tree
// sums them). The chain is a transposed FIR: the pixel is broadcast to every PE, the partial sum moves one PE per
// cycle, so a term enters the sum the cycle its pixel arrives (no input delay line). seg_start cuts the chain into
// segments (one kernel each): the first PE of a segment starts from 0 instead of its predecessor's sum.
module lowbit_pe #(
    parameter integer SW = 18,   // term (signed)
    parameter integer CW = 23    // partial sum (signed), > SW
) (
    input  wire          clk,
    input  wire          en,
    input  wire          seg_start,
    input  wire [SW-1:0] term,
    input  wire [CW-1:0] psum_in,
    output reg  [CW-1:0] psum_out
);
    wire [CW-1:0] term_ext = {{(CW-SW){term[SW-1]}}, term};
    always @(posedge clk) begin
        if (en) psum_out <= (seg_start ? {CW{1'b0}} : psum_in) + term_ext;
    end
endmodule
