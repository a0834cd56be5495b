// Reconfigurable convolution array (paper Fig. 7-10): PES PE positions over one input channel. PE p holds the b-bit
// codebook index of its weight and selects its product x * level from the RCA's codebook products
// (lowbit_level_products): the codebook decoder (paper Fig. 6) applied after the multiplication, a 2^b:1 mux per
// PE instead of a multiplier. The module's chain (lowbit_chain) adds the products of its RCAs per position.
// Indexes are preloaded into shadow registers one PE per cycle (shift_en) while the previous pass streams, and
// copied to the active registers, together with T, on load (the pass's first pixel).
module lowbit_rca #(
    parameter integer PES = 25,
    parameter integer IB  = 2,
    parameter integer PW  = 16,   // product bits
    parameter integer TW  = 5     // bits of T
) (
    input  wire                  clk,
    input  wire                  shift_en,
    input  wire [IB-1:0]         shift_in,  // weight index
    input  wire                  load,
    input  wire [TW-1:0]         taps,      // T of the pass being loaded
    input  wire [(1<<IB)*PW-1:0] prods,     // x * each codebook level
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

    genvar p;
    generate
        for (p = 0; p < PES; p = p + 1) begin : g_pe
            lowbit_weight_decoder #(.IB(IB), .WW(PW)) u_sel (.levels(prods), .index(index[p]),
                .weight(products[p*PW +: PW]));
        end
    endgenerate
endmodule
