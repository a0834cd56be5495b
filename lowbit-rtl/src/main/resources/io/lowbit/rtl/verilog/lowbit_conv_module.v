// One conv module (paper Fig. 5): PI RCAs on PI input channels, per kernel slot an adder tree over the RCAs,
// a partial-sum bank with read-modify-write (bias on the first pass), and a shift requantizer.
// Stages (a = the cycle the pixel's address is issued, S0):
//   S0 a         : load (first pixel of a pass) copies the shadow weights/bias into the active registers
//   S1 a+1       : x (centred) enters the PEs, chain registers update at the end of S1
//   S2 a+2       : slot s reads its segment end (PE (s+1)*T-1) in every RCA; adder tree, L = $clog2(PI) stages
//   P  a+2+L     : psum bank s: new = (first ? bias : psum) + tree; written back (read issued in P-1)
//   P+1          : requantize the new sum (registered)            P+2: y leaves the module
module lowbit_conv_module #(
    parameter integer PI           = 4,
    parameter integer PES          = 25,
    parameter integer AW           = 8,
    parameter integer DW           = 9,
    parameter integer WW           = 8,
    parameter integer ACCW         = 32,
    parameter integer TW           = 5,
    parameter integer PSUM_ENTRIES = 4096,
    parameter integer PA_W         = 12
) (
    input  wire                 clk,
    // preload (one PE per cycle per RCA; bias: one slot per cycle)
    input  wire                 shift_en,
    input  wire [PI*WW-1:0]     shift_w,
    input  wire                 bias_shift,
    input  wire [ACCW-1:0]      bias_in,
    // S0
    input  wire                 load,
    input  wire [TW-1:0]        taps_next,
    // S1
    input  wire                 pe_en,
    input  wire [PI*DW-1:0]     x,
    // P-1 / P
    input  wire [PA_W-1:0]      ps_raddr,
    input  wire                 valid_p,
    input  wire                 first_p,
    input  wire                 newpass_p,
    input  wire [TW-1:0]        slots_p,
    input  wire [PA_W-1:0]      ps_waddr,
    // requantizer constants of the layer
    input  wire [4:0]           rq_shift,
    input  wire                 rq_half_up,
    input  wire signed [AW+1:0] rq_zero_point,
    input  wire signed [AW+1:0] rq_lo,
    input  wire signed [AW+1:0] rq_hi,
    // P+2
    output reg  [PES*AW-1:0]    y
);
    localparam integer CHAIN_W = PES * ACCW;

    // ---- RCAs -------------------------------------------------------------------------------------------------
    wire [PI*CHAIN_W-1:0] chains;
    wire [PI*TW-1:0]      taps_all;
    genvar i, s;
    generate
        for (i = 0; i < PI; i = i + 1) begin : g_rca
            lowbit_rca #(.PES(PES), .DW(DW), .WW(WW), .ACCW(ACCW), .TW(TW)) u_rca (
                .clk(clk), .shift_en(shift_en), .shift_in(shift_w[i*WW +: WW]), .load(load),
                .taps(taps_next), .en(pe_en), .x(x[i*DW +: DW]), .chain(chains[i*CHAIN_W +: CHAIN_W]),
                .taps_q(taps_all[i*TW +: TW]));
        end
    endgenerate
    /* verilator lint_off UNUSEDSIGNAL */ // every RCA keeps its own copy of T; RCA 0's serves the slot muxes
    wire [PI*TW-1:0] taps_unused = taps_all;
    /* verilator lint_on UNUSEDSIGNAL */
    // T of the pixel in S2 (the RCAs switch T at the S0 edge of a pass's first pixel, one cycle before it reaches S1)
    reg [TW-1:0] taps_s2;
    always @(posedge clk) taps_s2 <= taps_all[TW-1:0];

    // ---- bias: shadow chain, active (S0) and psum-stage copies --------------------------------------------------
    reg [ACCW-1:0] bias_shadow [0:PES-1];
    reg [ACCW-1:0] bias_a      [0:PES-1];
    reg [ACCW-1:0] bias_p      [0:PES-1];
    integer k;
    always @(posedge clk) begin
        if (bias_shift) begin
            bias_shadow[0] <= bias_in;
            for (k = 1; k < PES; k = k + 1) bias_shadow[k] <= bias_shadow[k-1];
        end
        if (load) begin
            // a shift on the same edge completes the preload: take the shifted values (bypass)
            bias_a[0] <= bias_shift ? bias_in : bias_shadow[0];
            for (k = 1; k < PES; k = k + 1) bias_a[k] <= bias_shift ? bias_shadow[k-1] : bias_shadow[k];
        end
        if (newpass_p) begin
            for (k = 0; k < PES; k = k + 1) bias_p[k] <= bias_a[k];
        end
    end

    // ---- per slot: segment-end mux, adder tree, psum bank, requantizer ------------------------------------------
    generate
        for (s = 0; s < PES; s = s + 1) begin : g_slot
            localparam integer DEPTH = PSUM_ENTRIES / (s + 1); // slot s exists only when slots > s: <= ENTRIES/(s+1)
            localparam integer BA_W  = $clog2(DEPTH);           // addresses of a valid write are < DEPTH
            wire [PI*ACCW-1:0] ends;
            for (i = 0; i < PI; i = i + 1) begin : g_end
                reg [ACCW-1:0] e;
                integer t;
                always @* begin
                    e = {ACCW{1'b0}};
                    for (t = 1; t * (s + 1) <= PES; t = t + 1)
                        if ({{(32-TW){1'b0}}, taps_s2} == t) e = chains[i*CHAIN_W + ((s+1)*t-1)*ACCW +: ACCW];
                end
                assign ends[i*ACCW +: ACCW] = e;
            end
            wire [ACCW-1:0] tree;
            lowbit_adder_tree #(.N(PI), .W(ACCW)) u_tree (.clk(clk), .in(ends), .sum(tree));

            reg  [ACCW-1:0] bank [0:DEPTH-1];
            reg  [ACCW-1:0] rd;
            reg             byp;      // read and write of the same address on one edge: forward the write
            reg  [ACCW-1:0] byp_data;
            wire            we = valid_p && ({{(32-TW){1'b0}}, slots_p} > s);
            wire [ACCW-1:0] base = first_p ? (newpass_p ? bias_a[s] : bias_p[s]) : (byp ? byp_data : rd);
            wire [ACCW-1:0] sum_new = base + tree;
            always @(posedge clk) begin
                if (we) bank[ps_waddr[BA_W-1:0]] <= sum_new;
                rd       <= bank[ps_raddr[BA_W-1:0]];
                byp      <= we && ps_raddr == ps_waddr;
                byp_data <= sum_new;
            end
            reg  signed [ACCW-1:0] acc_q;
            wire [AW-1:0]          yq;
            always @(posedge clk) acc_q <= sum_new;
            lowbit_shift_requant #(.ACCW(ACCW), .OW(AW)) u_rq (
                .acc(acc_q), .shift(rq_shift), .half_up(rq_half_up), .zero_point(rq_zero_point), .lo(rq_lo),
                .hi(rq_hi), .y(yq));
            always @(posedge clk) y[s*AW +: AW] <= yq;
        end
    endgenerate
endmodule
