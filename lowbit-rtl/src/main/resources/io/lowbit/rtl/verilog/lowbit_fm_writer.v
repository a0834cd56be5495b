// Writes a conv batch into a feature-map buffer in the input-map layout (docs/rtl.md §2): channel c of pixel p is
// lane c % PI of the word of group g = c / PI, and group g lives in bank g % NB at in-bank address
// (g / NB)*HW + p (HW = the map's H*W). A batch carries the lanes j = s*PO + m of RQ slots, i.e. output channels
// outStart + j: at most RQ*PO consecutive channels, which touch at most NB groups (RtlParameters.fmBanks), one per
// bank, so every batch is written in its own cycle with one write port per bank, as the requantizers produce it:
// the output path keeps one batch per cycle (no serializer, no extra cycles).
// The tag (out_tag) is {r0, g0, pix}: outStart = g0*PI + r0, pix = y*W_out + x.
// Routing by fixed rotations, not by a computed index per lane (which Yosys turned into 124 k LUTs of priority
// muxes for the preset, docs/rtl.md §4): batch k's lanes are the window [k*W, k*W + W) of the output word
// (W = RQ*PO, one-hot select by the enabled batch); window lane i is channel position off + i of the groups
// gbase, gbase + 1, ... (off < PI: a PI-way rotation); relative group t goes to bank (gbase + t) % NB (an NB-way
// rotation); only the NB bank addresses need a multiplier.
module lowbit_fm_writer #(
    parameter integer PO    = 4,
    parameter integer PI    = 4,
    parameter integer PES   = 25,
    parameter integer RQ    = 5,     // requantizers per module: a batch is RQ slots of every module
    parameter integer AW    = 8,
    parameter integer NB    = 8,     // banks, a power of two
    parameter integer LB    = 3,     // log2(NB)
    parameter integer BA_W  = 13,    // in-bank address bits
    parameter integer RW    = 8,     // bits of r0
    parameter integer TAG_W = RW + 16 + BA_W
) (
    input  wire                  we,
    input  wire [TAG_W-1:0]      out_tag,
    input  wire [PO*PES-1:0]     lane_en,    // lanes of the batch being written (s*PO + m)
    input  wire [PO*PES*AW-1:0]  lane_data,
    input  wire [BA_W-1:0]       hw,         // H_out * W_out
    output reg  [NB-1:0]         bank_we,
    output reg  [NB*BA_W-1:0]    bank_addr,
    output reg  [NB*PI-1:0]      bank_be,
    output reg  [NB*PI*AW-1:0]   bank_data
);
    localparam integer L      = PO * PES;                // lanes of the output word
    localparam integer W      = RQ * PO;                 // lanes of a batch (the last one may have fewer)
    localparam integer NBATCH = (PES + RQ - 1) / RQ;
    localparam integer NG     = (W - 1 + PI - 1) / PI + 1; // groups a batch can touch (<= NB)
    localparam integer NP     = NG * PI;                 // channel positions of those groups

    wire [RW-1:0]   r0  = out_tag[TAG_W-1 -: RW];
    wire [15:0]     g0  = out_tag[BA_W +: 16];
    wire [BA_W-1:0] pix = out_tag[BA_W-1:0];

    // ---- the batch: one-hot by its enabled lanes --------------------------------------------------------------
    wire [NBATCH-1:0] batch_on;
    genvar gk;
    generate
        for (gk = 0; gk < NBATCH; gk = gk + 1) begin : g_batch
            localparam integer LO = gk * W;
            localparam integer N  = LO + W <= L ? W : L - LO;
            assign batch_on[gk] = |lane_en[LO +: N];
        end
    endgenerate

    // ---- its window of lanes, the group of its first channel and that channel's lane ---------------------------
    reg [W-1:0]    win_en;
    reg [W*AW-1:0] win_data;
    reg [15:0]     gbase;
    reg [31:0]     off;
    reg [31:0]     t;
    /* verilator lint_off UNUSEDSIGNAL */ // groups are 16-bit
    reg [31:0]     gsum;
    /* verilator lint_on UNUSEDSIGNAL */
    integer k, i;
    always @* begin
        win_en = {W{1'b0}};
        win_data = {(W*AW){1'b0}};
        gbase = 16'd0;
        off = 32'd0;
        t = 32'd0;
        gsum = 32'd0;
        for (k = 0; k < NBATCH; k = k + 1) begin
            if (batch_on[k]) begin
                // channel r0 + k*W relative to group g0: r0 < PI, so one carry at most
                t = {{(32-RW){1'b0}}, r0} + (k * W) % PI;
                off = t >= PI ? t - PI : t;
                gsum = {16'b0, g0} + (k * W) / PI + (t >= PI ? 32'd1 : 32'd0);
                gbase = gsum[15:0];
            end
            for (i = 0; i < W; i = i + 1) begin
                if (k * W + i < L) begin
                    win_en[i] = win_en[i] | (lane_en[k*W + i] & batch_on[k]);
                    win_data[i*AW +: AW] = win_data[i*AW +: AW] | (lane_data[(k*W + i)*AW +: AW] & {AW{batch_on[k]}});
                end
            end
        end
    end

    // ---- window lane i -> channel position off + i ------------------------------------------------------------
    reg [NP-1:0]    pos_en;
    reg [NP*AW-1:0] pos_data;
    integer o, p;
    always @* begin
        pos_en = {NP{1'b0}};
        pos_data = {(NP*AW){1'b0}};
        for (o = 0; o < PI; o = o + 1) begin
            if (off == o) begin
                for (p = o; p < o + W; p = p + 1) begin
                    pos_en[p] = win_en[p - o];
                    pos_data[p*AW +: AW] = win_data[(p - o)*AW +: AW];
                end
            end
        end
    end

    // ---- relative group q -> bank (gbase + q) % NB, and the banks' in-bank addresses ----------------------------
    /* verilator lint_off UNUSEDSIGNAL */ // the plane index of a group: its high bits exceed every real map
    reg [31:0] a;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [31:0] rot;
    /* verilator lint_off UNUSEDSIGNAL */ // groups are 16-bit
    reg [31:0] grp;
    /* verilator lint_on UNUSEDSIGNAL */
    integer b, q;
    always @* begin
        bank_we = {NB{1'b0}};
        bank_addr = {(NB*BA_W){1'b0}};
        bank_be = {(NB*PI){1'b0}};
        bank_data = {(NB*PI*AW){1'b0}};
        rot = {16'b0, gbase} & (NB - 1);
        grp = 32'd0;
        a = 32'd0;
        for (b = 0; b < NB; b = b + 1) begin
            grp = 32'd0;
            for (q = 0; q < NG; q = q + 1) begin
                if (rot == ((b - q) % NB + NB) % NB) begin
                    bank_we[b] = we & (|pos_en[q*PI +: PI]);
                    bank_be[b*PI +: PI] = pos_en[q*PI +: PI] & {PI{we}};
                    bank_data[b*PI*AW +: PI*AW] = pos_data[q*PI*AW +: PI*AW];
                    grp = {16'b0, gbase} + q;
                end
            end
            a = {16'b0, grp[15:0] >> LB} * {{(32-BA_W){1'b0}}, hw} + {{(32-BA_W){1'b0}}, pix};
            bank_addr[b*BA_W +: BA_W] = a[BA_W-1:0];
        end
    end
endmodule
