// One conv module (paper Fig. 5): PI RCAs on PI input channels, an adder tree per PE position over the RCAs'
// products, one PE chain over the position sums, per kernel slot a partial-sum bank with read-modify-write (bias on
// the first pass), and RQ shift requantizers shared by the slots (docs/rtl.md §1).
// Stages (a = the cycle the pixel's address is issued, S0):
//   S0 a         : load (first pixel of a pass) copies the shadow weight indexes/bias into the active registers
//   S1 a+1       : x (centred) -> codebook products -> each PE position's product in every RCA; adder trees over
//                  the RCAs, L = $clog2(PI) stages
//   C  a+1+L     : the position sums enter the chain; chain registers update at the end of C
//   P  a+2+L     : slot s takes the chain at PE (s+1)*T-1; psum bank s: new = (first ? bias : psum) + chain;
//                  written back (read issued in P-1); a requantizing window (hold_en) holds every slot's new sum
//   P+1+k        : batch k = slots k*RQ .. k*RQ+RQ-1 of the held sums is requantized (registered)
//   P+2+k        : y (batch k) leaves the module
module lowbit_conv_module #(
    parameter integer PI           = 4,
    parameter integer PES          = 25,
    parameter integer AW           = 8,
    parameter integer IB           = 2,
    parameter integer WW           = 8,    // codebook level bits
    parameter integer PW           = 16,   // product bits (lowbit_level_products)
    parameter integer MUL_PE       = 0,    // PE style (lowbit_rca): 0 codebook-select, 1 multiplier
    parameter integer PACK         = 1,    // multiplier PEs: products per multiplication
    parameter integer LUT_MUL      = 0,    // multiplier PEs: 1 = LUT multipliers
    parameter integer ACCW         = 32,   // psum bits, > PW + $clog2(PI) + $clog2(PES)
    parameter integer TW           = 5,
    parameter integer RQ           = 25,   // requantizers
    parameter integer PSUM_ENTRIES = 4096,
    parameter integer PA_W         = 12
) (
    input  wire                        clk,
    // preload (one PE per cycle per RCA; bias: one slot per cycle)
    input  wire                        shift_en,
    input  wire [PI*IB-1:0]            shift_idx,
    input  wire                        bias_shift,
    input  wire [ACCW-1:0]             bias_in,
    // S0
    input  wire                        load,
    input  wire [TW-1:0]               taps_next,
    /* verilator lint_off UNUSEDSIGNAL */ // with PI = 1 (L = 0) newpass_rd is load_s1 and there is no active copy
    input  wire                        load_s1,    // load, one cycle later (S1)
    /* verilator lint_on UNUSEDSIGNAL */
    // S1
    input  wire                        pe_en,
    /* verilator lint_off UNUSEDSIGNAL */ // codebook-select RCAs use the products, multiplier RCAs x and levels
    input  wire [PI*(1<<IB)*PW-1:0]    prods,
    input  wire [PI*(AW+1)-1:0]        x,
    input  wire [(1<<IB)*WW-1:0]       levels,
    /* verilator lint_on UNUSEDSIGNAL */
    // P-1 / P
    input  wire [PA_W-1:0]             ps_raddr,
    input  wire                        valid_p,
    input  wire                        newpass_rd, // P-1: the pass's first pixel (load_s1, L cycles later)
    input  wire                        first_p,
    input  wire [TW-1:0]               slots_p,
    input  wire [PA_W-1:0]             ps_waddr,
    input  wire                        hold_en,    // P: a window of a last pass; its sums go to the requantizers
    // P+1+k: the batch in the requantizers
    /* verilator lint_off UNUSEDSIGNAL */ // with RQ = PES every slot has its own requantizer: one batch
    input  wire [TW-1:0]               rq_batch,
    /* verilator lint_on UNUSEDSIGNAL */
    // requantizer constants of the layer
    input  wire [4:0]                  rq_shift,
    input  wire                        rq_half_up,
    input  wire signed [AW+1:0]        rq_zero_point,
    input  wire signed [AW+1:0]        rq_lo,
    input  wire signed [AW+1:0]        rq_hi,
    // P+2+k: requantizer r's output is slot k*RQ + r
    output reg  [RQ*AW-1:0]            y
);
    localparam integer NL = 1 << IB;
    localparam integer L  = $clog2(PI);
    localparam integer SW = PW + L;              // a position's sum over the PI RCAs
    localparam integer CW = SW + $clog2(PES);    // a chain's partial sum: up to PES position sums

    // ---- RCAs: each PE position's product ---------------------------------------------------------------------
    wire [PI*PES*PW-1:0] products;
    wire [PI*TW-1:0]     taps_all;
    genvar i, p, s, r, lv, q;
    generate
        for (i = 0; i < PI; i = i + 1) begin : g_rca
            lowbit_rca #(.PES(PES), .IB(IB), .DW(AW + 1), .WW(WW), .PW(PW), .TW(TW), .MUL_PE(MUL_PE),
                .PACK(PACK), .LUT(LUT_MUL)) u_rca (
                .clk(clk), .shift_en(shift_en), .shift_in(shift_idx[i*IB +: IB]), .load(load),
                .taps(taps_next), .prods(prods[i*NL*PW +: NL*PW]), .x(x[i*(AW+1) +: AW + 1]), .levels(levels),
                .products(products[i*PES*PW +: PES*PW]), .taps_q(taps_all[i*TW +: TW]));
        end
    endgenerate
    /* verilator lint_off UNUSEDSIGNAL */ // every RCA keeps its own copy of T; RCA 0's serves the chain
    wire [PI*TW-1:0] taps_unused = taps_all;
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- adder trees: per PE position, the sum over the RCAs (S1 .. C) -----------------------------------------
    wire [PES*SW-1:0] pos_sum;
    generate
        for (p = 0; p < PES; p = p + 1) begin : g_pos
            wire [PI*SW-1:0] terms;
            for (i = 0; i < PI; i = i + 1) begin : g_term
                wire [PW-1:0] v = products[(i*PES + p)*PW +: PW];
                if (L == 0) begin : g_same
                    assign terms[i*SW +: SW] = v;
                end else begin : g_ext
                    assign terms[i*SW +: SW] = {{L{v[PW-1]}}, v};
                end
            end
            lowbit_adder_tree #(.N(PI), .W(SW)) u_tree (.clk(clk), .in(terms), .sum(pos_sum[p*SW +: SW]));
        end
    endgenerate

    // ---- chain (C): T and the pixel's enable travel with the sums (the RCAs switch T at the S0 edge of a pass's
    // first pixel, one cycle before it reaches S1) -----------------------------------------------------------------
    wire [TW-1:0] taps_c;
    wire          en_c;
    lowbit_delay #(.W(TW + 1), .D(L)) u_d_c (.clk(clk), .in({taps_all[TW-1:0], pe_en}), .out({taps_c, en_c}));
    wire [PES*CW-1:0] chain;
    lowbit_chain #(.PES(PES), .SW(SW), .CW(CW), .TW(TW)) u_chain (.clk(clk), .en(en_c), .taps(taps_c),
        .terms(pos_sum), .chain(chain));
    reg [TW-1:0] taps_p;    // T of the pixel in P
    always @(posedge clk) taps_p <= taps_c;

    // ---- bias: shadow chain, active (S1) and psum-stage copies --------------------------------------------------
    // The active copy is taken at the edge after load (load_s1), when the preload's last shift (which may share
    // load's edge) has landed and the next pass's preload has not shifted yet (its first word is read in S0 and
    // shifted at the end of S1, read here before it): no bypass mux (one LUT per bias bit) is needed. The psum-stage
    // copy bias_p is taken one stage early, at the edge that ends P-1 of the pass's first pixel (newpass_rd), so that
    // in P it already holds the new pass's bias and the read-modify-write below selects between bias_p and the read
    // sum only (no newpass select per slot and bit); the previous pass's pixels, all in P before that edge, still
    // see the old copy. With L >= 1, P-1 = S0 + 1 + L comes at or after the cycle following the active copy's edge;
    // with L = 0, P-1 is S1 and bias_p is taken from the shadow at load_s1's edge, as the active copy would be.
    // Passes start at least floor(PES/2)+1 > 2 + L cycles apart (RtlParameters), so the active copy still holds
    // this pass's bias then.
    reg [ACCW-1:0] bias_shadow [0:PES-1];
    reg [ACCW-1:0] bias_p      [0:PES-1];
    integer k;
    always @(posedge clk) begin
        if (bias_shift) begin
            bias_shadow[0] <= bias_in;
            for (k = 1; k < PES; k = k + 1) bias_shadow[k] <= bias_shadow[k-1];
        end
    end
    generate
        if (L == 0) begin : g_bias_s1
            always @(posedge clk) begin
                if (newpass_rd) begin
                    for (k = 0; k < PES; k = k + 1) bias_p[k] <= bias_shadow[k];
                end
            end
        end else begin : g_bias_a
            reg [ACCW-1:0] bias_a [0:PES-1];
            always @(posedge clk) begin
                if (load_s1) begin
                    for (k = 0; k < PES; k = k + 1) bias_a[k] <= bias_shadow[k];
                end
                if (newpass_rd) begin
                    for (k = 0; k < PES; k = k + 1) bias_p[k] <= bias_a[k];
                end
            end
        end
    endgenerate

    // ---- per slot: segment end, psum bank, held sum -------------------------------------------------------------
    wire [PES*ACCW-1:0] held;
    generate
        for (s = 0; s < PES; s = s + 1) begin : g_slot
            localparam integer DEPTH = PSUM_ENTRIES / (s + 1); // slot s exists only when slots > s: <= ENTRIES/(s+1)
            localparam integer BA_W  = $clog2(DEPTH);           // addresses of a valid write are < DEPTH
            // slot s ends at position (s+1)*T-1, T = 1 .. NT; a T that leaves no slot s (slots <= s) writes nothing,
            // so such a T may select any position. A binary mux tree on the low IW bits of T (an if-chain on T == t
            // became a priority chain of one LUT per candidate and bit): leaf t is position (s+1)*t-1 for
            // 1 <= t <= NT, else position s (T = 1; t = 0 or t > NT only occur for a T that leaves no slot s).
            localparam integer NT = PES / (s + 1);
            localparam integer IW = (NT > 1) ? $clog2(NT + 1) : 1;
            // level lv (0: the root, IW: the leaves) of the tree: 2^lv nodes; node q of level lv < IW selects by
            // T's bit IW-1-lv between nodes 2q and 2q+1 of level lv+1
            for (lv = IW; lv >= 0; lv = lv - 1) begin : g_lv
                wire [(1<<lv)*CW-1:0] v;
                for (q = 0; q < (1 << lv); q = q + 1) begin : g_q
                    if (lv == IW) begin : g_leaf
                        localparam integer TT = (q >= 1 && q <= NT) ? q : 1;
                        assign v[q*CW +: CW] = chain[((s+1)*TT-1)*CW +: CW];
                    end else begin : g_mux
                        assign v[q*CW +: CW] = taps_p[IW-1-lv] ? g_lv[lv+1].v[(2*q+1)*CW +: CW]
                                                               : g_lv[lv+1].v[2*q*CW +: CW];
                    end
                end
            end
            wire [CW-1:0] e = g_lv[0].v;
            wire [ACCW-1:0] tree = {{(ACCW-CW){e[CW-1]}}, e};

            reg  [ACCW-1:0] bank [0:DEPTH-1];
            reg  [ACCW-1:0] rd;
            reg             byp;      // read and write of the same address on one edge: forward the write
            reg  [ACCW-1:0] byp_data;
            wire            we = valid_p && ({{(32-TW){1'b0}}, slots_p} > s);
            wire [ACCW-1:0] base = first_p ? bias_p[s] : (byp ? byp_data : rd);
            // sum_new = tree + base (mod 2^ACCW), written tree - ~base - 1 so that Yosys puts tree, a plain net, on the
            // carry chain's DI and the base select fits into each bit's adder LUT (one LUT6 per bit; base + tree
            // puts base on DI, which then needs its own LUT per bit)
            wire [ACCW-1:0] sum_new = tree - ~base - {{(ACCW-1){1'b0}}, 1'b1};
            reg  [ACCW-1:0] h;
            always @(posedge clk) begin
                if (we) bank[ps_waddr[BA_W-1:0]] <= sum_new;
                rd       <= bank[ps_raddr[BA_W-1:0]];
                byp      <= we && ps_raddr == ps_waddr;
                byp_data <= sum_new;
                if (hold_en) h <= sum_new;
            end
            assign held[s*ACCW +: ACCW] = h;
        end
    endgenerate

    // ---- requantizers: requantizer r takes slot k*RQ + r in batch k ------------------------------------------------
    generate
        for (r = 0; r < RQ; r = r + 1) begin : g_rq
            // batch b = 0 .. NB-1 (slot b*RQ + r < PES): a binary mux tree on the low BW bits of the batch number as
            // for the segment ends (an if-chain maps less regularly). Leaves b >= NB take batch 0: a batch number
            // >= NB (or whose low bits alias a leaf) means a slot that does not exist, whose lane is not written
            localparam integer NB = (PES - r + RQ - 1) / RQ;
            localparam integer BW = (NB > 1) ? $clog2(NB) : 1;
            for (lv = BW; lv >= 0; lv = lv - 1) begin : g_lv
                wire [(1<<lv)*ACCW-1:0] v;
                for (q = 0; q < (1 << lv); q = q + 1) begin : g_q
                    if (lv == BW) begin : g_leaf
                        localparam integer BB = (q < NB) ? q : 0;
                        assign v[q*ACCW +: ACCW] = held[(BB*RQ + r)*ACCW +: ACCW];
                    end else begin : g_mux
                        assign v[q*ACCW +: ACCW] = rq_batch[BW-1-lv] ? g_lv[lv+1].v[(2*q+1)*ACCW +: ACCW]
                                                                     : g_lv[lv+1].v[2*q*ACCW +: ACCW];
                    end
                end
            end
            wire [ACCW-1:0] acc = g_lv[0].v;
            wire [AW-1:0] yq;
            lowbit_shift_requant #(.ACCW(ACCW), .OW(AW)) u_rq (
                .acc(acc), .shift(rq_shift), .half_up(rq_half_up), .zero_point(rq_zero_point), .lo(rq_lo),
                .hi(rq_hi), .y(yq));
            always @(posedge clk) y[r*AW +: AW] <= yq;
        end
    endgenerate
endmodule
