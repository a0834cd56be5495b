// The conv unit: PO conv modules on the same PI input channels (output-channel parallelism), the input centring
// (x - Z_in, padding and unused RCAs as 0), the codebook products shared by all modules (codebook-select PEs), the
// tag pipeline that carries each pixel's control (valid window, psum address, output address) beside its data, and the batch
// sequencer that walks a requantizing window's slots through the RQ requantizers per module, RQ slots per cycle.
// Output channel outStart + s*PO + m is slot s of module m; it leaves on output lane s*PO + m in batch s / RQ.
module lowbit_conv_unit #(
    parameter integer PO           = 4,
    parameter integer PI           = 4,
    parameter integer PES          = 25,
    parameter integer AW           = 8,
    parameter integer WW           = 8,
    parameter integer IB           = 2,
    parameter integer ACCW         = 32,
    parameter integer RQ           = 25,    // requantizers per module
    parameter integer MUL_PE       = 0,     // PE style: 0 codebook-select (shared products), 1 multiplier/PE
    parameter integer PACK         = 1,     // products per multiplication (packed DSP48s, lowbit_shared_mul)
    parameter integer LUT_MUL      = 0,     // 1: the products in LUT logic (multipliers: lut), 0: `*` (DSP48s)
    parameter integer PSUM_ENTRIES = 4096,
    parameter integer OUT_AW       = 16,
    parameter integer TW           = $clog2(PES + 1),    // bits of T and of slots
    parameter integer PA_W         = $clog2(PSUM_ENTRIES)
) (
    input  wire                      clk,
    // layer constants
    input  wire [(1<<IB)*WW-1:0]     codebook,
    input  wire signed [AW+1:0]      z_in,
    input  wire                      in_signed,
    input  wire [4:0]                rq_shift,
    input  wire                      rq_half_up,
    input  wire signed [AW+1:0]      rq_zero_point,
    input  wire signed [AW+1:0]      rq_lo,
    input  wire signed [AW+1:0]      rq_hi,
    // preload: weight indexes (lane m*PI + i) and biases (lane m) read the cycle before
    input  wire                      shift_en,
    input  wire [PO*PI*IB-1:0]       w_index,
    input  wire                      bias_shift,
    input  wire [PO*ACCW-1:0]        bias_in,
    // S0
    input  wire                      load,
    input  wire [TW-1:0]             taps_next,
    // S1: tags registered by the controller, feature-map word read at S0
    input  wire                      px_s1,
    input  wire                      in_bounds_s1,
    input  wire [TW:0]               in_count_s1,
    input  wire [PI*AW-1:0]          fm_word_s1,
    input  wire                      load_s1,
    input  wire                      valid_s1,
    input  wire                      first_s1,
    input  wire                      last_s1,
    input  wire [TW-1:0]             slots_s1,
    input  wire [15:0]               out_count_s1,
    input  wire [PA_W-1:0]           pa_s1,
    input  wire [OUT_AW-1:0]         oa_s1,
    // P+2+k: output write of batch k
    output wire                      out_we,
    output wire [OUT_AW-1:0]         out_addr,
    output wire [PO*PES-1:0]         out_be,
    output wire [PO*PES*AW-1:0]      out_data
);
    localparam integer DW = AW + 1;
    localparam integer L  = $clog2(PI);
    localparam integer PW = DW + WW - 1;            // a product x * level (lowbit_level_products)
    localparam [TW:0]  RQ_W = RQ[TW:0];

    // ---- S1: centred inputs -----------------------------------------------------------------------------------
    wire [PI*DW-1:0] x;
    genvar i, m, s;
    generate
        for (i = 0; i < PI; i = i + 1) begin : g_x
            wire [AW-1:0]        code = fm_word_s1[i*AW +: AW];
            wire signed [AW+1:0] ext  = {{2{in_signed & code[AW-1]}}, code};
            wire signed [AW+1:0] diff = ext - z_in;  // in [-2^AW + 1, 2^AW - 1]: exact in DW bits
            /* verilator lint_off UNUSEDSIGNAL */ // the top bit of diff repeats its sign
            wire [AW+1:0]        diff_bits = diff;
            /* verilator lint_on UNUSEDSIGNAL */
            assign x[i*DW +: DW] = (in_bounds_s1 && {{(31-TW){1'b0}}, in_count_s1} > i) ? diff_bits[DW-1:0]
                                                                                         : {DW{1'b0}};
        end
    endgenerate

    // ---- tags: S1 -> P-1 (L cycles), P (L+1) --------------------------------------------------------------------
    wire [PA_W-1:0] pa_rd;
    wire            newpass_rd;
    lowbit_delay #(.W(PA_W + 1), .D(L)) u_d_ra (.clk(clk), .in({pa_s1, load_s1}), .out({pa_rd, newpass_rd}));
    wire [PA_W-1:0]   pa_p;
    wire              valid_p, first_p, last_p;
    wire [TW-1:0]     slots_p;
    wire [15:0]       count_p;
    wire [OUT_AW-1:0] oa_p;
    lowbit_delay #(.W(PA_W + 3 + TW + 16 + OUT_AW), .D(L + 1)) u_d_p (.clk(clk),
        .in({pa_s1, valid_s1, first_s1, last_s1, slots_s1, out_count_s1, oa_s1}),
        .out({pa_p, valid_p, first_p, last_p, slots_p, count_p, oa_p}));
    // a window of a pass that requantizes: its new sums are final
    wire hold_en = valid_p && last_p;

    // ---- batch sequencer ----------------------------------------------------------------------------------------
    // P+1+k: batch k of the held window is in the requantizers; the controller spaces requantizing windows at
    // least ceil(slots/RQ) cycles apart, so a window's batches end before the next window is held.
    reg            rq_run;
    reg [TW-1:0]   rq_k;
    reg [TW:0]     rq_next;      // first slot of batch rq_k + 1
    reg [TW-1:0]   rq_slots;
    reg [15:0]     rq_count;
    reg [OUT_AW-1:0] rq_addr;
    // P+2+k: batch k is written
    reg            wr_run;
    reg [TW-1:0]   wr_k, wr_slots;
    reg [15:0]     wr_count;
    reg [OUT_AW-1:0] wr_addr;
    always @(posedge clk) begin
        if (hold_en) begin
            rq_run <= 1'b1;
            rq_k <= {TW{1'b0}};
            rq_next <= RQ_W;
            rq_slots <= slots_p;
            rq_count <= count_p;
            rq_addr <= oa_p;
        end else if (rq_run) begin
            if (rq_next < {1'b0, rq_slots}) begin
                rq_k <= rq_k + {{(TW-1){1'b0}}, 1'b1};
                rq_next <= rq_next + RQ_W;
            end else begin
                rq_run <= 1'b0;
            end
        end
        wr_run <= rq_run;
        wr_k <= rq_k;
        if (rq_run && rq_k == {TW{1'b0}}) begin
            // a window's first batch: its tags for the writes (the next window's come >= its batches later)
            wr_slots <= rq_slots;
            wr_count <= rq_count;
            wr_addr <= rq_addr;
        end
    end
    assign out_we = wr_run;
    assign out_addr = wr_addr;

    // ---- codebook products of the centred inputs (shared by all modules; codebook-select PEs only) -------------
    wire [PI*(1<<IB)*PW-1:0] prods;
    generate
        if (MUL_PE == 0) begin : g_products
            lowbit_level_products #(.PI(PI), .DW(DW), .WW(WW), .IB(IB), .PACK(PACK), .LUT(LUT_MUL),
                .PW(PW)) u_prod (.x(x),
                .levels(codebook), .prods(prods));
        end else begin : g_no_products
            assign prods = {(PI*(1<<IB)*PW){1'b0}};
        end
    endgenerate

    // ---- modules ------------------------------------------------------------------------------------------------
    generate
        for (m = 0; m < PO; m = m + 1) begin : g_mod
            wire [RQ*AW-1:0] y;
            lowbit_conv_module #(.PI(PI), .PES(PES), .AW(AW), .IB(IB), .WW(WW), .PW(PW), .MUL_PE(MUL_PE),
                .PACK(PACK), .LUT_MUL(LUT_MUL), .ACCW(ACCW), .TW(TW), .RQ(RQ), .PSUM_ENTRIES(PSUM_ENTRIES), .PA_W(PA_W)) u_mod (
                .clk(clk), .shift_en(shift_en), .shift_idx(w_index[m*PI*IB +: PI*IB]), .bias_shift(bias_shift),
                .bias_in(bias_in[m*ACCW +: ACCW]), .load(load), .taps_next(taps_next), .load_s1(load_s1),
                .pe_en(px_s1),
                .prods(prods), .x(x), .levels(codebook), .ps_raddr(pa_rd), .newpass_rd(newpass_rd),
                .valid_p(valid_p), .first_p(first_p),
                .slots_p(slots_p), .ps_waddr(pa_p), .hold_en(hold_en), .rq_batch(rq_k), .rq_shift(rq_shift),
                .rq_half_up(rq_half_up), .rq_zero_point(rq_zero_point), .rq_lo(rq_lo), .rq_hi(rq_hi), .y(y));
            for (s = 0; s < PES; s = s + 1) begin : g_lane
                assign out_data[(s*PO + m)*AW +: AW] = y[(s % RQ)*AW +: AW];
                assign out_be[s*PO + m] = wr_run && {{(32-TW){1'b0}}, wr_k} == s / RQ
                    && {{(32-TW){1'b0}}, wr_slots} > s && {16'b0, wr_count} > s*PO + m;
            end
        end
    endgenerate
endmodule
