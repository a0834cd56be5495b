// Codebook products (lowbit [choice], docs/rtl.md §1): a layer's weights take only the 2^IB codebook levels, and
// every PE of RCA i multiplies the same broadcast input x_i. So the products x_i · level_e are formed once, here,
// and each PE selects its product by its b-bit index (lowbit_pe) instead of multiplying a decoded weight: PI·2^IB
// multipliers for the whole conv unit (all modules see the same PI inputs) instead of PO·PI·PES. Exact: the same
// product, chosen instead of recomputed.
// |x| <= 2^(DW-1) - 1 and |level| <= 2^(WW-1), so |x · level| < 2^(DW+WW-2): PW = DW + WW - 1 signed bits hold it.
module lowbit_level_products #(
    parameter integer PI = 4,
    parameter integer DW = 9,
    parameter integer WW = 8,
    parameter integer IB = 2,
    parameter integer PW = DW + WW - 1
) (
    input  wire [PI*DW-1:0]          x,
    input  wire [(1<<IB)*WW-1:0]     levels,
    output wire [PI*(1<<IB)*PW-1:0]  prods     // x_i · level_e at bits [(i*2^IB + e)*PW +: PW]
);
    localparam integer NL = 1 << IB;
    genvar i, e;
    generate
        for (i = 0; i < PI; i = i + 1) begin : g_in
            for (e = 0; e < NL; e = e + 1) begin : g_level
                /* verilator lint_off UNUSEDSIGNAL */ // the top bit of the full product repeats its sign
                wire signed [DW+WW-1:0] full = $signed(x[i*DW +: DW]) * $signed(levels[e*WW +: WW]);
                /* verilator lint_on UNUSEDSIGNAL */
                assign prods[(i*NL + e)*PW +: PW] = full[PW-1:0];
            end
        end
    endgenerate
endmodule
