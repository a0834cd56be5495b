// K products x * w_k of one shared input x (docs/accelerator.md §7). PACK = 0: K multipliers. PACK = 1: one
// multiplication, which synthesis maps to one DSP48 slice: the weights packed at a stride of S = PW bits into
// port A, A = sum_k w_k * 2^(k*S) ((K-1)*S + WW + 1 bits, <= 25 for a DSP48E1), P = A * x, and product k is
// P[k*S +: S] plus the borrow bit P[k*S-1] of the fields below it. Exact for |x| <= 2^(DW-1) - 1 (a centred input)
// and every weight; the Java model is io.lowbit.accel.dsp.DspPacking, and tb_shared_mul checks every combination.
module lowbit_shared_mul #(
    parameter integer DW   = 9,           // x, signed, |x| <= 2^(DW-1) - 1
    parameter integer WW   = 8,           // each weight, signed
    parameter integer K    = 2,           // products
    parameter integer PACK = 1,
    parameter integer PW   = DW + WW - 1  // product bits
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

    genvar k;
    generate
        if (PACK == 0 || K == 1) begin : g_plain
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
