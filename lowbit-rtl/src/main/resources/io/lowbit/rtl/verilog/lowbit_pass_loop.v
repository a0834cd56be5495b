// The per-layer pass loop (docs/rtl.md §2, "Pass loop"): a conv layer is one conv_pass instruction (its first
// pass) plus loop constants in its descriptor (CSR 18..31); this module generates pass k+1 from pass k (the pass
// word `cur` the controller is preloading) and the loop counters, combinationally, so that the controller sees the
// same 256-bit pass words as from an instruction per pass. The nest, outermost first (the compiler's order):
//   weight tile tl < TL (G output groups each, the last G_last), row tile rt < RT, output group og < G of the
//   tile, input group ig < IG, kernel chunk c < C.
// Loop CSR words (conv descriptors; `loop` = CSR 18 .. 31, word k at [32k +: 32]):
// (counts are stored as their last index, N - 1, so that the compares need no decrement)
//   0 (18): C - 1 [7:0], T of the last chunk [15:8], its weight words slots*T [23:16], in_count of the last input
//           group [31:24]     (chunks before the last have T = PES, slots = 1)
//   1 (19): d_row, d_col of chunk 0 [7:0], [15:8]; PES div kW, PES mod kW [23:16], [31:24] (d of a chunk before
//           the last is the previous chunk's d - PES; the last chunk's is 0)
//   2 (20): IG - 1 [15:0], output groups of the layer OG - 1 [31:16]
//   3 (21): G - 1 [15:0], G_last - 1 [31:16]
//   4 (22): RT - 1 [15:0], TL - 1 [31:16]
//   5 (23): out_count of a full group PO*slots [15:0], of the layer's last group [31:16]
//   6 (24): PO*slots div PI [15:0], PO*slots mod PI [23:16], the last pass of a tile releases its bank [24],
//           the input is staged from DRAM [25], the output is staged for DRAM [26]
//   7 (25): H_in*W_in (an input group plane, in-bank words)
//   8 (26): rows of a full row tile [15:0], of the last one [31:16]
//   9 (27): R = (rows-1)*sH + kH of a full row tile [15:0], of the last one [31:16]
//  10 (28): in_row0 step tileRows*sH [15:0], in_row0 of row tile 0 (-padTop) [31:16]
//  11 (29): input address step tileRows*sH*W_in; a staged input: the second half's base (in-bank words)
//  12 (30): input address of row tile 0 (-padTop*W_in)
//  13 (31): output pixel step tileRows*W_out; a staged output: the second half's base
// A staged map (docs/rtl.md §1, "Feature maps in DRAM") is in half job % 2 of its buffer: the input's row part and
// the output's pixel base alternate between 0 and the second half's base at each new row tile (job); the row tile
// index job (w4[31:16]) counts the layer's row tiles over its weight tiles.
// Fields of the next pass (everything else is the current pass's): first/last, weight bank (toggles per tile),
// releases, T, in_count, out_count, d_row/d_col, weight base (consecutive blocks, from 0 at each row tile), bank
// loads (+1 per second tile: floor(t/2) + 1), bias base (+slots per output group), r0/g0 (+PO*slots per group,
// back to the tile's first group at a new row tile), input address (planes of NB groups + row part), output pixel
// base, input bank (ig mod NB), in_row0, rows, R. io.lowbit.rtl.cosim.PassLoop is the same function in Java; the
// images check it against the compiler's passes.
module lowbit_pass_loop #(
    parameter integer TW    = 5,
    parameter integer PES   = 25,
    parameter integer PI    = 4,
    parameter integer NB    = 8,
    parameter integer FM_AW = 13,
    parameter integer RW    = 2
) (
    input  wire             clk,
    input  wire             clear,     // the controller is idle: cur will be a layer's first pass (indexes 0)
    input  wire             advance,   // nxt becomes the current pass
    input  wire [7:0]       k_w,
    input  wire [14*32-1:0] loop,
    input  wire [255:0]     cur,
    output wire [255:0]     nxt
);
    /* verilator lint_off UNUSEDSIGNAL */ // fields of the current pass that the next one does not depend on
    wire [31:0] w0 = cur[31:0], w1 = cur[63:32], w2 = cur[95:64], w3 = cur[127:96];
    wire [31:0] w4 = cur[159:128], w5 = cur[191:160], w6 = cur[223:192], w7 = cur[255:224];
    wire [31:0] l0 = loop[0 +: 32],    l1 = loop[32 +: 32],   l2 = loop[64 +: 32],   l3 = loop[96 +: 32];
    wire [31:0] l4 = loop[128 +: 32],  l5 = loop[160 +: 32],  l6 = loop[192 +: 32],  l7 = loop[224 +: 32];
    wire [31:0] l8 = loop[256 +: 32],  l9 = loop[288 +: 32],  l10 = loop[320 +: 32], l11 = loop[352 +: 32];
    wire [31:0] l12 = loop[384 +: 32], l13 = loop[416 +: 32];
    /* verilator lint_on UNUSEDSIGNAL */
    localparam [7:0]  PES8 = PES[7:0];
    localparam [31:0] NBM  = NB - 1;
    localparam [31:0] PI32 = PI;

    // counters: the indexes of cur
    reg [7:0]       c;
    reg [15:0]      ig, og, gog, rt, tl, tg0;
    reg [RW-1:0]    tr0;
    reg [FM_AW-1:0] plane;

    wire [15:0] gcur    = tl == l4[31:16] ? l3[31:16] : l3[15:0];   // the tile's last output group
    wire        last_c  = c == l0[7:0];
    wire        last_ig = ig == l2[15:0];
    wire        last_og = og == gcur;
    wire        last_rt = rt == l4[15:0];
    wire        inc_c   = !last_c;
    wire        inc_ig  = last_c && !last_ig;
    wire        inc_og  = last_c && last_ig && !last_og;
    wire        inc_rt  = last_c && last_ig && last_og && !last_rt;
    wire        inc_tl  = last_c && last_ig && last_og && last_rt;
    wire        same_og = inc_c || inc_ig;

    wire [7:0]  c_n   = inc_c ? c + 8'd1 : 8'd0;
    wire [15:0] ig_n  = inc_c ? ig : (inc_ig ? ig + 16'd1 : 16'd0);
    wire [15:0] og_n  = same_og ? og : (inc_og ? og + 16'd1 : 16'd0);
    wire [15:0] gog_n = same_og ? gog : ((inc_og || inc_tl) ? gog + 16'd1 : gog - og);
    wire [15:0] rt_n  = (same_og || inc_og) ? rt : (inc_rt ? rt + 16'd1 : 16'd0);
    wire [15:0] tl_n  = inc_tl ? tl + 16'd1 : tl;
    wire [15:0] gcur_n = tl_n == l4[31:16] ? l3[31:16] : l3[15:0];
    wire        c_last_n  = c_n == l0[7:0];
    wire        ig_last_n = ig_n == l2[15:0];
    wire        rt_last_n = rt_n == l4[15:0];
    wire [31:0] bank_n    = {16'b0, ig_n} & NBM;

    // input address: planes of NB groups + the row tile's part
    wire [FM_AW-1:0] plane_n   = inc_c ? plane : (inc_ig ? (bank_n == 32'd0 ? plane + l7[FM_AW-1:0] : plane)
                                                          : {FM_AW{1'b0}});
    wire [FM_AW-1:0] rowpart   = w4[FM_AW-1:0] - plane;
    wire        staged_in  = l6[25];
    wire        staged_out = l6[26];
    wire        new_job    = inc_rt || inc_tl;
    wire [15:0] job_n      = new_job ? w4[31:16] + 16'd1 : w4[31:16];
    wire [FM_AW-1:0] rowpart_n = staged_in ? (new_job ? l11[FM_AW-1:0] - rowpart : rowpart)
                               : inc_rt ? rowpart + l11[FM_AW-1:0] : (inc_tl ? l12[FM_AW-1:0] : rowpart);
    wire [FM_AW-1:0] ia_n      = plane_n + rowpart_n;

    // first output channel: g0*PI + r0, + PO*slots per group
    wire [RW-1:0] r0 = w3[24 +: RW];
    wire [15:0]   g0 = w6[31:16];
    wire [31:0]   r_sum = {{(32-RW){1'b0}}, r0} + {24'b0, l6[23:16]};
    wire          r_cy  = r_sum >= PI32;
    /* verilator lint_off UNUSEDSIGNAL */ // r0 < PI
    wire [31:0]   r_add = r_cy ? r_sum - PI32 : r_sum;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [15:0]   g_add = g0 + l6[15:0] + {15'b0, r_cy};
    wire [15:0]   g0_n  = same_og ? g0 : (inc_rt ? tg0 : g_add);
    wire [RW-1:0] r0_n  = same_og ? r0 : (inc_rt ? tr0 : r_add[RW-1:0]);

    // d (the taps after the chunk) of the next chunk: 0 for the last chunk, else d - PES (T = PES, and the next is
    // not the last), in (row, column) of the kernel
    wire [7:0]  dr = w1[23:16], dc = w1[31:24];
    wire        d_borrow = dc < l1[31:24];
    wire [7:0]  dc_step = d_borrow ? dc + k_w - l1[31:24] : dc - l1[31:24];
    wire [7:0]  dr_step = dr - l1[23:16] - {7'b0, d_borrow};
    wire [7:0]  dr_n = c_last_n ? 8'd0 : (inc_c ? dr_step : l1[7:0]);
    wire [7:0]  dc_n = c_last_n ? 8'd0 : (inc_c ? dc_step : l1[15:8]);

    wire [15:0] wb  = w2[15:0];
    wire [15:0] blk = last_c ? {8'b0, l0[23:16]} : {8'b0, PES8};
    wire [15:0] wb_n = (same_og || inc_og) ? wb + blk : 16'd0;
    wire [15:0] need_n = (inc_tl && w0[4]) ? w2[31:16] + 16'd1 : w2[31:16];
    wire [23:0] bb_n = inc_og ? w3[23:0] + {{(24-TW){1'b0}}, w0[16 +: TW]} : (same_og ? w3[23:0] : 24'd0);
    wire [FM_AW-1:0] pix_n = staged_out ? (new_job ? l13[FM_AW-1:0] - w5[FM_AW-1:0] : w5[FM_AW-1:0])
                           : inc_rt ? w5[FM_AW-1:0] + l13[FM_AW-1:0] : (inc_tl ? {FM_AW{1'b0}} : w5[FM_AW-1:0]);
    wire [15:0] row0_n = inc_rt ? w6[15:0] + l10[15:0] : (inc_tl ? l10[31:16] : w6[15:0]);
    wire        first_n = c_n == 8'd0 && ig_n == 16'd0;
    wire        lastp_n = c_last_n && ig_last_n;
    wire        bank_w_n = inc_tl ? ~w0[4] : w0[4];
    wire        rel_n = l6[24] && lastp_n && og_n == gcur_n && rt_last_n;
    wire [7:0]  t_n = c_last_n ? l0[15:8] : PES8;
    wire [7:0]  ic_n = ig_last_n ? l0[31:24] : PI32[7:0];
    wire [15:0] oc_n = gog_n == l2[31:16] ? l5[31:16] : l5[15:0];

    assign nxt[31:0]    = {ic_n, w0[23:16], t_n, 2'b00, rel_n, bank_w_n, w0[3:2], lastp_n, first_n};
    assign nxt[63:32]   = {dc_n, dr_n, oc_n};
    assign nxt[95:64]   = {need_n, wb_n};
    assign nxt[127:96]  = {{(8-RW){1'b0}}, r0_n, bb_n};
    assign nxt[159:128] = {job_n, 16'b0} | {{(32-FM_AW){1'b0}}, ia_n};   // FM_AW <= 16 (RtlParameters)
    assign nxt[191:160] = {bank_n[7:0], {(24-FM_AW){1'b0}}, pix_n};
    assign nxt[223:192] = {g0_n, row0_n};
    assign nxt[255:224] = rt_last_n ? {l9[31:16], l8[31:16]} : {l9[15:0], l8[15:0]};

    always @(posedge clk) begin
        if (clear) begin
            c <= 8'd0; ig <= 16'd0; og <= 16'd0; gog <= 16'd0; rt <= 16'd0; tl <= 16'd0;
            tg0 <= 16'd0; tr0 <= {RW{1'b0}}; plane <= {FM_AW{1'b0}};
        end else if (advance) begin
            c <= c_n; ig <= ig_n; og <= og_n; gog <= gog_n; rt <= rt_n; tl <= tl_n; plane <= plane_n;
            if (inc_tl) begin
                tg0 <= g_add; tr0 <= r_add[RW-1:0];
            end
        end
    end
endmodule
