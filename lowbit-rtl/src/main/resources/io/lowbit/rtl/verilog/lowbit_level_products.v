// Codebook products (lowbit [choice], docs/rtl.md §1): a layer's weights take only the 2^IB codebook levels, and
// every PE of RCA i multiplies the same broadcast input x_i. So the products x_i · level_e are formed once, here,
// and each PE selects its product by its b-bit index (lowbit_rca) instead of multiplying a decoded weight: PI·2^IB
// multipliers for the whole conv unit (all modules see the same PI inputs) instead of PO·PI·PES. Exact: the same
// product, chosen instead of recomputed. With PACK > 1 the levels of one input go PACK at a time through one
// packed multiplication (lowbit_shared_mul): PI·ceil(2^IB / PACK) DSP slices. LUT = 1: Booth sums in LUT logic
// (lowbit_shared_mul), whether or not synthesis may use DSP48E1s elsewhere.
// |x| <= 2^(DW-1) - 1 and |level| <= 2^(WW-1), so |x · level| < 2^(DW+WW-2): PW = DW + WW - 1 signed bits hold it.
module lowbit_level_products #(
    parameter integer PI   = 4,
    parameter integer DW   = 9,
    parameter integer WW   = 8,
    parameter integer IB   = 2,
    parameter integer PACK = 1,           // products per multiplication (1: one multiplier per product)
    parameter integer LUT  = 0,           // 1: LUT multipliers (PACK = 1)
    parameter integer PW   = DW + WW - 1
) (
    input  wire [PI*DW-1:0]          x,
    input  wire [(1<<IB)*WW-1:0]     levels,
    output wire [PI*(1<<IB)*PW-1:0]  prods     // x_i · level_e at bits [(i*2^IB + e)*PW +: PW]
);
    localparam integer NL = 1 << IB;
    localparam integer K  = PACK < NL ? PACK : NL;
    localparam integer G  = (NL + K - 1) / K;     // multiplications per input
    genvar i, g;
    // the levels padded with zeros to G*K (the last group may be partial)
    wire [G*K*WW-1:0] padded;
    generate
        if (G * K == NL) begin : g_full
            assign padded = levels;
        end else begin : g_pad
            assign padded = {{((G*K - NL)*WW){1'b0}}, levels};
        end
        for (i = 0; i < PI; i = i + 1) begin : g_in
            wire [G*K*PW-1:0] all;
            for (g = 0; g < G; g = g + 1) begin : g_group
                lowbit_shared_mul #(.DW(DW), .WW(WW), .K(K), .PACK(K > 1 ? 1 : 0), .PW(PW), .LUT(LUT)) u_mul (
                    .x(x[i*DW +: DW]), .w(padded[g*K*WW +: K*WW]), .p(all[g*K*PW +: K*PW]));
            end
            /* verilator lint_off UNUSEDSIGNAL */ // products of the zero padding
            wire [G*K*PW-1:0] all_used = all;
            /* verilator lint_on UNUSEDSIGNAL */
            assign prods[i*NL*PW +: NL*PW] = all_used[NL*PW-1:0];
        end
    endgenerate
endmodule
