// K products x * w_k of one shared input x (docs/accelerator.md §7). PACK = 0: K multipliers. PACK = 1: one
// multiplication, which synthesis maps to one DSP48 slice: the weights packed at a stride of S = PW bits into
// port A, A = sum_k w_k * 2^(k*S) ((K-1)*S + WW + 1 bits, <= 25 for a DSP48E1), P = A * x, and product k is
// P[k*S +: S] plus the borrow bit P[k*S-1] of the fields below it. Exact for |x| <= 2^(DW-1) - 1 (a centred input)
// and every weight; the Java model is io.lowbit.accel.dsp.DspPacking, and tb_shared_mul checks every combination.
// LUT = 1 (the configuration's `multipliers: lut`, the paper's LUT multipliers; PACK = 0 or K = 1 only): each
// product is written out as a radix-4 Booth sum of ceil(WW/2) partial products (x, 2x, their negations or 0,
// selected by three bits of w) instead of a `*`, so that synthesis builds it from LUTs and carry chains even where
// multipliers may go to DSP48E1s (Yosys 0.23's synth_xilinx maps every `*` above 8 product bits to a DSP48E1 and
// has no per-multiplier attribute to keep one out: `use_dsp` is read only as "simd" for adders). 132 LUTs for a
// 9x8-bit product against 178 for Yosys's own LUT multiplier (-nodsp); the same product, exhaustively checked.
module lowbit_shared_mul #(
    parameter integer DW   = 9,           // x, signed, |x| <= 2^(DW-1) - 1
    parameter integer WW   = 8,           // each weight, signed
    parameter integer K    = 2,           // products
    parameter integer PACK = 1,
    parameter integer PW   = DW + WW - 1, // product bits
    parameter integer LUT  = 0            // 1: Booth partial-product sums (LUT logic), unpacked only
) (
    input  wire [DW-1:0]   x,
    input  wire [K*WW-1:0] w,
    output wire [K*PW-1:0] p
);
    localparam integer S  = PW;
    localparam integer AB = (K - 1) * S + WW + 1;   // port A of the packed multiplication

    // A = sum of the weights, each sign-extended and shifted to its field
    function automatic [AB-1:0] packed_weights(input [K*WW-1:0] ws);
        integer j;
        reg [AB-1:0] a;
        begin
            a = {AB{1'b0}};
            for (j = 0; j < K; j = j + 1) a = a + ({{(AB-WW){ws[j*WW+WW-1]}}, ws[j*WW +: WW]} << (j * S));
            packed_weights = a;
        end
    endfunction

    // x * w in PW bits as a radix-4 Booth sum: digit d_j = -2*w[2j+1] + w[2j] + w[2j-1] (w[-1] = 0, w sign-
    // extended to an even width) in {-2, -1, 0, 1, 2}, product = sum_j d_j * x * 4^j, all modulo 2^PW (exact:
    // |x * w| < 2^(PW-1)).
    localparam integer ND = (WW + 1) / 2;           // Booth digits
    function automatic [PW-1:0] booth_product(input [DW-1:0] xx, input [WW-1:0] ww);
        integer j;
        reg [2*ND:0]  we;
        reg [PW-1:0]  x1, pp, acc;
        begin
            we  = {{(2*ND+1-WW){ww[WW-1]}}, ww};   // sign-extended
            we  = {we[2*ND-1:0], 1'b0};
            x1  = {{(PW-DW){xx[DW-1]}}, xx};
            acc = {PW{1'b0}};
            for (j = 0; j < ND; j = j + 1) begin
                case (we[2*j +: 3])
                    3'b001, 3'b010: pp = x1;
                    3'b011:         pp = x1 << 1;
                    3'b100:         pp = -(x1 << 1);
                    3'b101, 3'b110: pp = -x1;
                    default:        pp = {PW{1'b0}};
                endcase
                acc = acc + (pp << (2 * j));
            end
            booth_product = acc;
        end
    endfunction

    genvar k;
    generate
        if ((PACK == 0 || K == 1) && LUT != 0) begin : g_lut
            for (k = 0; k < K; k = k + 1) begin : g_mul
                assign p[k*PW +: PW] = booth_product(x, w[k*WW +: WW]);
            end
        end else if (PACK == 0 || K == 1) begin : g_plain
            for (k = 0; k < K; k = k + 1) begin : g_mul
                /* verilator lint_off UNUSEDSIGNAL */ // the top bit of the full product repeats its sign
                wire signed [DW+WW-1:0] full = $signed(x) * $signed(w[k*WW +: WW]);
                /* verilator lint_on UNUSEDSIGNAL */
                assign p[k*PW +: PW] = full[PW-1:0];
            end
        end else begin : g_packed
            wire [AB-1:0] a = packed_weights(w);
            /* verilator lint_off UNUSEDSIGNAL */ // bits above the top field only repeat its sign
            wire signed [AB+DW-1:0] prod = $signed(a) * $signed(x);
            /* verilator lint_on UNUSEDSIGNAL */
            assign p[0 +: PW] = prod[PW-1:0];
            for (k = 1; k < K; k = k + 1) begin : g_field
                assign p[k*PW +: PW] = prod[k*S +: S] + {{(S-1){1'b0}}, prod[k*S-1]};
            end
        end
    endgenerate
endmodule
