// Reconfigurable convolution array (paper Fig. 7-10): PES PE positions over one input channel. PE p holds the b-bit
// codebook index of its weight. Two PE styles (docs/accelerator.md §7), the same products:
//   MUL_PE = 0 (codebook-select): PE p selects its product x * level from the RCA's codebook products
//     (lowbit_level_products): the codebook decoder (paper Fig. 6) applied after the multiplication, a 2^b:1 mux
//     per PE instead of a multiplier;
//   MUL_PE = 1 (the paper's multiplier PE): PE p decodes its weight (lowbit_weight_decoder) and multiplies the
//     broadcast input by it; with PACK > 1, PACK PEs share one packed multiplication (lowbit_shared_mul).
// The module's chain (lowbit_chain) adds the products of its RCAs per position. Indexes are preloaded into shadow
// registers one PE per cycle (shift_en) while the previous pass streams, and copied to the active registers,
// together with T, on load (the pass's first pixel).
module lowbit_rca #(
    parameter integer PES    = 25,
    parameter integer IB     = 2,
    parameter integer DW     = 9,     // centred input bits
    parameter integer WW     = 8,     // codebook level bits
    parameter integer PW     = 16,    // product bits
    parameter integer TW     = 5,     // bits of T
    parameter integer MUL_PE = 0,
    parameter integer PACK   = 1,     // multiplier PEs: products per multiplication
    parameter integer LUT    = 0      // multiplier PEs: 1 = LUT multipliers (lowbit_shared_mul)
) (
    input  wire                  clk,
    input  wire                  shift_en,
    input  wire [IB-1:0]         shift_in,  // weight index
    input  wire                  load,
    input  wire [TW-1:0]         taps,      // T of the pass being loaded
    /* verilator lint_off UNUSEDSIGNAL */ // each PE style uses either the products or the input and levels
    input  wire [(1<<IB)*PW-1:0] prods,     // codebook-select: x * each codebook level
    input  wire [DW-1:0]         x,         // multiplier PEs: the centred input
    input  wire [(1<<IB)*WW-1:0] levels,    // multiplier PEs: the codebook
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [PES*PW-1:0]     products,  // PE p's product at bits [p*PW +: PW]
    output reg  [TW-1:0]         taps_q     // T of the running pass
);
    reg [IB-1:0] shadow [0:PES-1];
    reg [IB-1:0] index  [0:PES-1];
    integer k;
    always @(posedge clk) begin
        if (shift_en) begin
            shadow[0] <= shift_in;
            for (k = 1; k < PES; k = k + 1) shadow[k] <= shadow[k-1];
        end
        if (load) begin
            // the preload's last shift may land on this edge (the timing model lets a pass start as its preload
            // completes): take the shifted values (bypass)
            index[0] <= shift_en ? shift_in : shadow[0];
            for (k = 1; k < PES; k = k + 1) index[k] <= shift_en ? shadow[k-1] : shadow[k];
            taps_q <= taps;
        end
    end

    genvar p, g;
    generate
        if (MUL_PE == 0) begin : g_select
            for (p = 0; p < PES; p = p + 1) begin : g_pe
                lowbit_weight_decoder #(.IB(IB), .WW(PW)) u_sel (.levels(prods), .index(index[p]),
                    .weight(products[p*PW +: PW]));
            end
        end else begin : g_multiply
            localparam integer K = PACK < PES ? PACK : PES;
            localparam integer G = (PES + K - 1) / K;   // multiplications; the last may hold fewer PEs
            wire [G*K*WW-1:0] w;                        // PE p's decoded weight at [p*WW +: WW], zero padding
            for (p = 0; p < G * K; p = p + 1) begin : g_pe
                if (p < PES) begin : g_real
                    lowbit_weight_decoder #(.IB(IB), .WW(WW)) u_dec (.levels(levels), .index(index[p]),
                        .weight(w[p*WW +: WW]));
                end else begin : g_pad
                    assign w[p*WW +: WW] = {WW{1'b0}};
                end
            end
            wire [G*K*PW-1:0] all;
            for (g = 0; g < G; g = g + 1) begin : g_mul
                lowbit_shared_mul #(.DW(DW), .WW(WW), .K(K), .PACK(K > 1 ? 1 : 0), .PW(PW), .LUT(LUT)) u_mul (
                    .x(x), .w(w[g*K*WW +: K*WW]), .p(all[g*K*PW +: K*PW]));
            end
            /* verilator lint_off UNUSEDSIGNAL */ // products of the zero padding
            wire [G*K*PW-1:0] all_used = all;
            /* verilator lint_on UNUSEDSIGNAL */
            assign products = all_used[PES*PW-1:0];
        end
    endgenerate
endmodule
