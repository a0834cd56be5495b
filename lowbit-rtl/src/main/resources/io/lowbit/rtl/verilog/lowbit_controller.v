// Executes the conv_pass instructions of one layer (docs/accelerator.md §3-4, docs/rtl.md):
//  * preload engine: reads a pass's slots*T weight words (one PE per cycle, all RCAs and modules in parallel) and
//    its first `slots` bias words into the shadow registers; it starts on the cycle the previous pass streams its
//    first pixel (ScheduleTimer: preloadStart = lastPassStart), pass 0's at the first cycle;
//  * stream engine: for each output column a kW-wide strip of R = (rows-1)*sH + kH input rows, one pixel per
//    cycle, passes back to back; a pass starts once its preload is complete (else: stall cycles);
//  * tags: a window ends at a pixel whose "virtual" strip position (position + d, d = taps after the chunk) is
//    the last column of a row r >= kH-1 with (r - kH + 1) % sH == 0;
//  * requantizer spacing: a window of a last pass leaves its module through RQ requantizers in q = ceil(slots/RQ)
//    cycles, so the next such window is issued q cycles after it at the earliest (a bubble in the stream, or a
//    later pass start when a pass's first pixel is such a window; ScheduleTimer models both as stall cycles).
//  * across layers: with next_base != 0 (CSR 17: the next conv layer's first pass address + 1), the preload engine
//    goes on to that pass when this layer's last pass starts streaming (ScheduleTimer: preloadStart =
//    lastPassStart also across layers), and keeps it through the pools in between; that layer's start finds it
//    loaded (its first pixel in its first cycle) or completes it;
//  * weight banks (docs/rtl.md "DMA"): a pass reads weight bank w0[4]; its preload waits until the DMA has
//    completed w2[31:16] loads into that bank (its tile's load: ScheduleTimer's bankReady); the last pass of a
//    tile (w0[5]) releases the bank when its preload has read the last word (bankFree), so that the DMA may
//    refill it. Cycles in which no pass streams because the next preload waits for its bank are counted apart
//    (wait_cycles), not as stall.
//  * feature maps in DRAM (docs/rtl.md §1; loop CSR 24 [25] staged input, [26] staged output): a pass of row tile
//    `job` (w4[31:16], from the pass loop) reading a staged input waits until the DMA has completed
//    rows_base + job + 1 load_rows (ScheduleTimer: rowsReady); the last pass of a row tile frees its half of the
//    input buffer when its last pixel streams (rows_free: slotFree), and, writing a staged output, signals its last
//    output write (tile_written: the store_rows may start); a pass of row tile job >= 2 writing a staged output
//    waits until store_rows of job - 2 (the same half of the output buffer) has completed (an interlock the
//    simulator does not need: its store is always done by then), and the layer is done once its store_rows are
//    (store_end; ScheduleTimer: the layer ends when its last store does). Cycles waiting for rows or stores before a
//    pass count as wait_cycles, cycles after the drain waiting for the stores as store_wait_cycles.
// Instruction (256 bits, 32-bit word k at [32k +: 32]):
//   w0: [0] first, [1] last, [3:2] opcode 0, [4] weight bank, [5] releases the bank, [15:8] T (chunk taps),
//       [23:16] slots, [31:24] in_count
//   w1: [15:0] out_count, [23:16] d_row, [31:24] d_col      (d = kH*kW - chunkStart - T, in strip rows/cols)
//   w2: [15:0] weight word base (in the bank), [31:16] loads of the bank the pass needs (0: preloaded by the host)
//   w3: [23:0] bias word base, [31:24] r0 = outStart % PI
//   w4: [15:0] in-bank input word address of (in_row0, column 0), signed: (inStart/PI/NB)*H*W + in_row0*W, or for a
//       staged input the half's base + (inStart/PI/NB)*plane; [31:16] row tile (job) of the layer (pass loop only)
//   w5: [23:0] output pixel base rowStart*W_out (a staged output: the half's base), [31:24] input bank
//   w6: [15:0] in_row0 = rowStart*sH - padTop, signed, [31:16] g0 = outStart / PI
//   w7: [15:0] rows, [31:16] R
// The layer's first pass is the instruction at base (the sequencer's program); passes 1 .. n_instr - 1 come from
// lowbit_pass_loop (the loop constants in CSR 18..31: pass k+1 from pass k), so a layer is one instruction.
// Outputs carry the tag {r0, g0, pixel} to lowbit_fm_writer (the input-map layout, docs/rtl.md §2).
module lowbit_controller #(
    parameter integer TW     = 5,
    parameter integer PA_W   = 12,
    parameter integer IMEM_AW = 10,
    parameter integer WMEM_AW = 12,
    parameter integer BMEM_AW = 10,
    parameter integer FM_AW  = 16,    // in-bank feature-map address bits
    parameter integer RW     = 8,     // bits of r0
    parameter integer OUT_AW = RW + 16 + FM_AW,   // output tag {r0, g0, pixel}
    parameter integer DRAIN  = 6,     // cycles from the last pixel's S0 to its output write, inclusive of the write
    parameter integer PES    = 25,    // slots of a pass are <= PES
    parameter integer RQ     = 25,    // requantizers per module
    parameter integer PI     = 4,     // RCAs per module (input channels of a full input group)
    parameter integer NB     = 8      // feature-map banks per buffer
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                start,
    output wire                busy,
    output reg                 done,
    // layer geometry (CSR)
    input  wire [15:0]         h_in,
    input  wire [15:0]         w_in,
    input  wire [15:0]         w_out,
    input  wire [7:0]          k_h,
    input  wire [7:0]          k_w,
    input  wire [7:0]          s_h,
    input  wire [7:0]          s_w,
    input  wire [7:0]          pad_left,
    input  wire [15:0]         n_instr,
    input  wire [IMEM_AW-1:0]  base,         // the first pass's instruction address
    input  wire [15:0]         next_base,    // the next conv layer's first pass address + 1, 0: none
    input  wire [14*32-1:0]    loop_csr,     // CSR 18..31: the pass loop (lowbit_pass_loop)
    // instruction memory (asynchronous read)
    output wire [IMEM_AW-1:0]  imem_addr,
    input  wire [255:0]        imem_data,
    // preload
    output wire [WMEM_AW-1:0]  wmem_addr,
    output wire [BMEM_AW-1:0]  bmem_addr,
    output reg                 shift_en,     // weight word read last cycle: shift it in
    output reg                 bias_shift,
    output wire                w_bank,       // the bank wmem_addr/bmem_addr read
    input  wire [15:0]         loaded0,      // completed weight loads into bank 0 / 1 (lowbit_dma)
    input  wire [15:0]         loaded1,
    output wire                release_bank, // a pulse: the tile in bank w_bank has been read by its last pass
    // S0
    output wire [FM_AW-1:0]    fm_addr,
    output wire [7:0]          fm_bank,
    output wire                load,
    output wire [TW-1:0]       taps_next,
    // S1 tags
    output reg                 px_s1,
    output reg                 in_bounds_s1,
    output reg  [TW:0]         in_count_s1,
    output reg                 load_s1,
    output reg                 valid_s1,
    output reg                 first_s1,
    output reg                 last_s1,
    output reg  [TW-1:0]       slots_s1,
    output reg  [15:0]         out_count_s1,
    output reg  [PA_W-1:0]     pa_s1,
    output reg  [OUT_AW-1:0]   oa_s1,
    // cycle counters of the last run
    output reg  [31:0]         cycles,
    output reg  [31:0]         stream_cycles,
    output reg  [31:0]         stall_cycles,
    output reg  [31:0]         wait_cycles,
    // feature maps in DRAM
    input  wire [15:0]         rows_base,    // load_rows of the program before this layer's
    input  wire [15:0]         store_base,   // store_rows before this layer's
    input  wire [15:0]         store_end,    // store_rows up to this layer's last
    input  wire [15:0]         rows_loaded,  // completed load_rows / store_rows (lowbit_dma)
    input  wire [15:0]         stores_done,
    output wire                rows_free,    // a pulse: the last pass of a row tile of a staged input streamed
    output wire                tile_written, // a pulse: the last output of a row tile of a staged output written
    output reg  [31:0]         store_wait_cycles
);
    localparam [1:0] IDLE = 2'd0, RUN = 2'd1, DRAIN_S = 2'd2;
    localparam [15:0] DRAIN16 = DRAIN[15:0];
    reg [1:0] state;
    reg [7:0] drain_cnt;
    assign busy = state != IDLE;

    // ---- preload engine: the instruction in pl_* --------------------------------------------------------------
    reg [15:0] pl_idx;
    reg        pl_valid;
    reg        pre_next;     // the preload in pl_* is the next layer's first pass
    reg [15:0] pl_cnt, pl_k;
    reg [255:0] pl_ins;
    /* verilator lint_off UNUSEDSIGNAL */ // spare instruction bits
    wire [31:0] pw0 = pl_ins[31:0],    pw1 = pl_ins[63:32],   pw2 = pl_ins[95:64],   pw3 = pl_ins[127:96];
    wire [31:0] pw6 = pl_ins[223:192], pw7 = pl_ins[255:224], pw4 = pl_ins[159:128], pw5 = pl_ins[191:160];
    /* verilator lint_on UNUSEDSIGNAL */
    assign      w_bank   = pw0[4];
    wire        bank_ok  = (pw0[4] ? loaded1 : loaded0) >= pw2[31:16];
    wire        pl_issue = pl_valid && pl_cnt != pl_k && bank_ok;
    assign release_bank = pl_issue && pl_cnt + 16'd1 == pl_k && pw0[5];
    /* verilator lint_off UNUSEDSIGNAL */ // 32-bit address arithmetic; the images are checked to fit the memories
    wire [31:0] w_addr = {16'b0, pw2[15:0]} + {16'b0, pl_cnt};
    wire [31:0] b_addr = {8'b0, pw3[23:0]} + {16'b0, pl_cnt};
    /* verilator lint_on UNUSEDSIGNAL */
    assign wmem_addr = w_addr[WMEM_AW-1:0];
    assign bmem_addr = b_addr[BMEM_AW-1:0];
    wire [15:0] next_idx = (state == IDLE ? 16'd0 : pl_idx) + 16'd1;
    wire        to_next  = next_idx >= n_instr && next_base != 16'd0;   // a go now: preload the next layer
    /* verilator lint_off UNUSEDSIGNAL */ // a 16-bit CSR; the program fits the instruction memory
    wire [15:0] nb_addr  = next_base - 16'd1;
    /* verilator lint_on UNUSEDSIGNAL */
    assign imem_addr = (state == IDLE && !pre_next) ? base
                     : to_next ? nb_addr[IMEM_AW-1:0] : base + next_idx[IMEM_AW-1:0];
    // the next pass: a layer's first from the instruction memory (at the start, or the next layer's during the
    // last pass), the others from the pass loop
    wire [255:0] gen_ins;
    wire [255:0] next_ins = ((state == IDLE && !pre_next) || to_next) ? imem_data : gen_ins;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] iw0 = next_ins[31:0];
    /* verilator lint_on UNUSEDSIGNAL */
    wire [15:0] k_of_next = {8'b0, iw0[23:16]} * {8'b0, iw0[15:8]};
    // the first pixel of requantizing pass pl_* ends a window (d = kH*kW - 1: the chunk is one tap, a 1x1 kernel)
    wire        pl_first_win = pw0[1] && pw1[23:16] == k_h - 8'd1 && pw1[31:24] == k_w - 8'd1;
    // feature maps in DRAM: the pass's row tile, and its waits for the DMA
    wire        staged_in  = loop_csr[6*32 + 25];
    wire        staged_out = loop_csr[6*32 + 26];
    wire [15:0] pl_job     = pw4[31:16];
    wire        rows_ok    = !staged_in || rows_loaded >= rows_base + pl_job + 16'd1;
    wire        out_ok     = !staged_out || pl_job < 16'd2 || stores_done >= store_base + pl_job - 16'd1;
    wire        stores_ok  = !staged_out || stores_done >= store_end;

    // ---- stream engine: the instruction in st_* ---------------------------------------------------------------
    reg         st_active, st_first_px;
    reg         st_first, st_last;
    reg [TW-1:0] st_taps, st_slots;
    reg [TW:0]  st_in_count;
    reg [15:0]  st_out_count, st_rows, st_r_len;
    reg [7:0]   st_d_row, st_d_col;
    reg signed [31:0] st_in_addr0, st_in_row0;
    reg [15:0]  ox, r, j, vr, vj, nv, ry;
    reg [PA_W-1:0] pa;
    reg signed [31:0] y, x0, row_addr;
    reg [31:0]  oa_strip, oa;
    reg [7:0]   st_in_bank;
    reg [RW-1:0] st_r0;
    reg [15:0]  st_g0;
    reg [TW-1:0] st_q;          // requantizer batches of a window: ceil(slots / RQ)
    // cycles until the last output write of the last requantizing window issued (0: none pending); a further
    // such window may issue once rq_tail <= DRAIN, i.e. q cycles after the previous one
    reg [15:0]  rq_tail;
    reg [15:0]  st_job;
    // the row tile's last output write: as the layer's drain (DRAIN cycles, and the last window's batches), counted
    // from the last pixel of its last pass while the next row tile streams
    reg [7:0]   jd_cnt;
    reg [15:0]  jd_tail;

    wire signed [31:0] x      = x0 + {16'b0, j};
    wire        in_bounds     = y >= 0 && y < $signed({16'b0, h_in}) && x >= 0 && x < $signed({16'b0, w_in});
    /* verilator lint_off UNUSEDSIGNAL */ // as above: out-of-bounds pixels (padding) are never used
    wire signed [31:0] fm_a   = row_addr + x;
    /* verilator lint_on UNUSEDSIGNAL */
    assign fm_addr            = fm_a[FM_AW-1:0];
    assign fm_bank            = st_in_bank;
    wire        kw_end        = j == {8'b0, k_w} - 16'd1;
    wire        strip_end     = kw_end && r == st_r_len - 16'd1;
    wire        vout          = st_active && vj == {8'b0, k_w} - 16'd1 && vr == nv && ry < st_rows;
    wire        rq_window     = vout && st_last;
    wire        hold          = rq_window && rq_tail > DRAIN16;   // the requantizers are busy: a bubble
    wire        issue         = st_active && !hold;
    wire        last_px       = issue && strip_end && ox == w_out - 16'd1;
    // a pass's first pixel is never held (go waits instead), so load coincides with the preload's last shift
    assign load      = st_active && st_first_px;
    assign taps_next = st_taps;

    // a pass starts on the next cycle if the unit is free then and the preload completes by this edge
    wire free_next = !st_active || last_px;
    wire pl_ready  = pl_valid && (pl_cnt == pl_k || (pl_cnt + 16'd1 == pl_k && pl_issue));
    wire [15:0] rq_tail_next = (issue && rq_window) ? DRAIN16 + {{(16-TW){1'b0}}, st_q} - 16'd1
                             : (rq_tail != 16'd0 ? rq_tail - 16'd1 : 16'd0);
    wire rq_ready  = !pl_first_win || rq_tail_next <= DRAIN16;
    // (a layer whose first pass was preloaded during the previous one may start streaming with its start)
    wire go        = ((state == RUN && !pre_next) || (state == IDLE && start && pre_next)) && free_next && pl_ready
                     && rq_ready && rows_ok && out_ok;
    // the streaming pass is the last of its row tile: the next one (in pl_*) is another row tile's or none
    wire job_last  = !(pl_valid && !pre_next) || pl_job != st_job;
    assign rows_free    = staged_in && last_px && job_last;
    assign tile_written = jd_cnt != 8'd0 && {24'b0, jd_cnt} >= DRAIN && jd_tail <= 16'd1;
    wire drained   = {24'b0, drain_cnt} >= DRAIN && rq_tail <= 16'd1;
    lowbit_pass_loop #(.TW(TW), .PES(PES), .PI(PI), .NB(NB), .FM_AW(FM_AW), .RW(RW)) u_loop (.clk(clk),
        .clear(state == IDLE && !go), .advance(go && !to_next), .k_w(k_w), .loop(loop_csr), .cur(pl_ins),
        .nxt(gen_ins));

    // ceil(slots / RQ) of the next pass, without a divider
    reg [TW-1:0] q_of_next;
    integer b;
    always @* begin
        q_of_next = {TW{1'b0}};
        for (b = 0; b < PES; b = b + RQ)
            if ({{(32-TW){1'b0}}, pw0[16 +: TW]} > b) q_of_next = q_of_next + {{(TW-1){1'b0}}, 1'b1};
    end

    always @(posedge clk) begin
        if (rst) begin
            state <= IDLE;
            done <= 1'b0;
            st_active <= 1'b0;
            pl_valid <= 1'b0;
            pre_next <= 1'b0;
            shift_en <= 1'b0;
            bias_shift <= 1'b0;
            px_s1 <= 1'b0;
            valid_s1 <= 1'b0;
            load_s1 <= 1'b0;
            rq_tail <= 16'd0;
            jd_cnt <= 8'd0;
        end else begin
            if (staged_out && last_px && job_last) begin
                jd_cnt <= 8'd1;
                jd_tail <= rq_tail_next;
            end else if (tile_written) begin
                jd_cnt <= 8'd0;
            end else if (jd_cnt != 8'd0) begin
                jd_cnt <= jd_cnt + 8'd1;
                if (jd_tail != 16'd0) jd_tail <= jd_tail - 16'd1;
            end
            rq_tail <= rq_tail_next;
            done <= 1'b0;
            shift_en <= pl_issue;
            bias_shift <= pl_issue && pl_cnt < {8'b0, pw0[23:16]};
            if (pl_issue) pl_cnt <= pl_cnt + 16'd1;
            case (state)
                IDLE: if (start) begin
                    state <= RUN;
                    cycles <= 32'd0;
                    stream_cycles <= 32'd0;
                    stall_cycles <= 32'd0;
                    wait_cycles <= 32'd0;
                    store_wait_cycles <= 32'd0;
                    pl_idx <= 16'd0;
                    pre_next <= 1'b0;
                    if (!pre_next) begin // else: the first pass is (being) preloaded already
                        pl_ins <= next_ins;
                        pl_cnt <= 16'd0;
                        pl_k <= k_of_next;
                        pl_valid <= n_instr != 16'd0;
                    end
                end
                RUN: begin
                    cycles <= cycles + 32'd1;
                    if (issue) stream_cycles <= stream_cycles + 32'd1;
                    else if (!st_active && pl_valid && (!bank_ok || !rows_ok || !out_ok))
                        wait_cycles <= wait_cycles + 32'd1;
                    else stall_cycles <= stall_cycles + 32'd1;
                    if ((last_px || !st_active) && !go && (!pl_valid || pre_next)) begin
                        state <= DRAIN_S;
                        drain_cnt <= 8'd1;
                    end
                end
                default: begin // DRAIN_S: the last pixel's tags travel to the output write, the last batches leave;
                    // then a staged output's last store_rows
                    cycles <= cycles + 32'd1;
                    if (drain_cnt != 8'hFF) drain_cnt <= drain_cnt + 8'd1;
                    if (drained && stores_ok) begin
                        state <= IDLE;
                        done <= 1'b1;
                    end else if (drained) begin
                        store_wait_cycles <= store_wait_cycles + 32'd1;
                    end
                end
            endcase

            if (go) begin
                // pass pl_* becomes the streaming pass; the next instruction starts its preload next cycle
                st_active <= 1'b1;
                st_first_px <= 1'b1;
                st_first <= pw0[0];
                st_last <= pw0[1];
                st_taps <= pw0[8 +: TW];
                st_slots <= pw0[16 +: TW];
                st_q <= q_of_next;
                st_in_count <= pw0[24 +: TW+1];
                st_out_count <= pw1[15:0];
                st_d_row <= pw1[23:16];
                st_d_col <= pw1[31:24];
                st_in_addr0 <= pw4;
                st_in_row0 <= {{16{pw6[15]}}, pw6[15:0]};
                st_in_bank <= pw5[31:24];
                st_r0 <= pw3[24 +: RW];
                st_g0 <= pw6[31:16];
                st_rows <= pw7[15:0];
                st_r_len <= pw7[31:16];
                ox <= 16'd0; r <= 16'd0; j <= 16'd0;
                vr <= {8'b0, pw1[23:16]}; vj <= {8'b0, pw1[31:24]}; nv <= {8'b0, k_h} - 16'd1; ry <= 16'd0;
                pa <= {PA_W{1'b0}};
                y <= {{16{pw6[15]}}, pw6[15:0]}; x0 <= -$signed({24'b0, pad_left}); row_addr <= pw4;
                oa_strip <= {8'b0, pw5[23:0]}; oa <= {8'b0, pw5[23:0]};
                st_job <= pl_job;
                pl_idx <= next_idx;
                pl_ins <= next_ins;
                pl_cnt <= 16'd0;
                pl_k <= k_of_next;
                pl_valid <= next_idx < n_instr || to_next;
                pre_next <= to_next;
            end else if (issue) begin
                st_first_px <= 1'b0;
                if (last_px) st_active <= 1'b0;
                if (vout) pa <= pa + {{(PA_W-1){1'b0}}, 1'b1};
                if (strip_end) begin
                    j <= 16'd0; r <= 16'd0; ox <= ox + 16'd1;
                    x0 <= x0 + $signed({24'b0, s_w}); y <= st_in_row0; row_addr <= st_in_addr0;
                    vr <= {8'b0, st_d_row}; vj <= {8'b0, st_d_col}; nv <= {8'b0, k_h} - 16'd1; ry <= 16'd0;
                    oa_strip <= oa_strip + 32'd1; oa <= oa_strip + 32'd1;
                end else begin
                    if (kw_end) begin
                        j <= 16'd0; r <= r + 16'd1; y <= y + 32'sd1; row_addr <= row_addr + $signed({16'b0, w_in});
                    end else begin
                        j <= j + 16'd1;
                    end
                    if (vj == {8'b0, k_w} - 16'd1) begin
                        vj <= 16'd0; vr <= vr + 16'd1;
                    end else begin
                        vj <= vj + 16'd1;
                    end
                    if (vout) begin
                        ry <= ry + 16'd1; nv <= nv + {8'b0, s_h}; oa <= oa + {16'b0, w_out};
                    end
                end
            end

            // S1 tags
            px_s1 <= issue;
            in_bounds_s1 <= in_bounds;
            in_count_s1 <= st_in_count;
            load_s1 <= load;
            valid_s1 <= vout && issue;
            first_s1 <= st_first;
            last_s1 <= st_last;
            slots_s1 <= st_slots;
            out_count_s1 <= st_out_count;
            pa_s1 <= pa;
            oa_s1 <= {st_r0, st_g0, oa[FM_AW-1:0]};
        end
    end
endmodule
