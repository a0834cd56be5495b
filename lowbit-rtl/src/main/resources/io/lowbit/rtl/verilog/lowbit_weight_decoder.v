// Codebook weight decoder (paper Fig. 6): 2^IB levels of WW bits, selected by a b-bit index. levels holds entry e
// at bits [e*WW +: WW]; entry 0 is the pruned weight 0 (loaded like the others). The RCAs use it on the products
// x * level instead of the levels (lowbit_rca): the same selection, after the multiplication.
module lowbit_weight_decoder #(
    parameter integer IB = 2,
    parameter integer WW = 8
) (
    input  wire [(1<<IB)*WW-1:0] levels,
    input  wire [IB-1:0]         index,
    output wire [WW-1:0]         weight
);
    assign weight = levels[index*WW +: WW];
endmodule
