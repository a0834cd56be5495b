// DMA engine (docs/rtl.md §1, "DMA"): executes the DMA queue, the compiler's load_input, load_weights,
// load_rows, store_rows and store_output in program order, one transfer at a time, concurrently with the conv and
// pool units.
// DRAM interface (AXI-like, one burst per transfer): the engine raises dram_req for one cycle with the first beat
// address, the beat count and the direction; the DRAM then asserts dram_beat once per cycle for the burst's beats,
// the first `latency` cycles after the request (the DRAM's latency, >= 1). A read beat's data is dram_rdata in a
// dram_beat cycle; a write beat takes dram_wdata in a dram_beat cycle. A transfer of B beats issued in cycle s
// thus occupies the engine for cycles s .. s + latency + B - 1, and the next one can issue in s + latency + B:
// ScheduleTimer's latency + ceil(bytes / bytesPerCycle) with bytes = B beats of BEAT_W/8 bytes.
// Queue entry (192 bits, 32-bit word k at [32k +: 32]):
//   d0: [2:0] op (0 load_input, 1 load_weights, 2 store_output, 3 load_rows, 4 store_rows), [4] bank, [5] wide
//       (store the result memory), [6] the feature-map buffer (load_input, load_rows, store_rows),
//       [31:16] the count its dependency waits for (below)
//   d1: DRAM beat address   d2: beats
//   d3: load_weights: beats of weight indexes (the rest are biases); feature maps: [15:0] beats per line,
//       [31:16] words per line
//   d4: feature maps: [15:0] lines per row (channel groups), [31:16] in-bank plane stride
//   d5: feature maps: [15:0] in-bank address of the first word
// Dependencies (ScheduleTimer): load_weights into bank b issues once released[b] >= d0[31:16]; load_rows once
// rows_freed >= d0[31:16] (the passes that read its half of the input buffer two row tiles before have streamed:
// slotFree); store_rows once tiles_written >= d0[31:16] (its row tile's last output is written: the layer's end so
// far); store_output once the program's compute is done. The conv controller's preload of a pass waits for
// loaded[bank] >= its tile's load count, a pass reading a DRAM-resident input for rows_loaded (lowbit_controller);
// the first layer waits for input_done (lowbit_sequencer).
// Feature maps move in lines of `words per line` words (padded to whole beats of WPB words in DRAM; a word wider than
// a beat takes its slot's beats, the low one first, as do result words), a row of
// `lines per row` lines (channel groups) at a time; line g of a row is group g, in bank g % NB at in-bank address
// first + (g / NB)*plane + row*words-per-line. A whole map (load_input, store_output) is one row of H*W-word lines
// (plane H*W, first 0): groups one after the other, the input-map layout (docs/rtl.md §2). A row tile of a map in
// DRAM (load_rows, store_rows) is rows of W-word lines, row-major in DRAM (row y, then group g, then x): a row
// tile is one contiguous burst, and on chip it is staged in half of a buffer (docs/rtl.md §1, "Feature maps in
// DRAM").
module lowbit_dma #(
    parameter integer BEAT_W  = 64,
    parameter integer DQ_AW   = 8,
    parameter integer LB      = 3,
    parameter integer BA_W    = 13,
    parameter integer FM_W    = 32,
    parameter integer FM_SW   = 32,      // feature-map word slot in a beat (power of two)
    parameter integer RES_W   = 64,
    parameter integer RES_SW  = 64,      // result word slot
    parameter integer RES_AW  = 10,
    parameter integer KW      = 24,      // beat index bits of the weight and bias banks
    parameter integer FM_WPB  = BEAT_W / FM_SW > 0 ? BEAT_W / FM_SW : 1,
    parameter integer RES_WPB = BEAT_W / RES_SW > 0 ? BEAT_W / RES_SW : 1,
    parameter integer FLAT_W  = 1 + LB + BA_W
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire                    start,        // the program starts: queue from its first entry
    input  wire [15:0]             dq_len,
    output wire [DQ_AW-1:0]        dq_addr,
    input  wire [191:0]            dq_ins,       // queue[dq_addr] (asynchronous read)
    input  wire                    compute_done, // the sequencer has finished the program's compute instructions
    input  wire [15:0]             released0,    // tiles of weight bank 0 / 1 whose last pass has preloaded
    input  wire [15:0]             released1,
    input  wire                    rows_free,    // a pulse: the last pass of a row tile of a staged input streamed
    input  wire                    tile_written, // a pulse: the last output of a row tile of a staged output written
    input  wire                    out_buf,      // the buffer holding the network output (store_output)
    output reg  [15:0]             loaded0,      // completed load_weights into bank 0 / 1
    output reg  [15:0]             loaded1,
    output reg  [15:0]             rows_loaded,  // completed load_rows
    output reg  [15:0]             stores_done,  // completed store_rows
    output reg                     input_done,
    output wire                    idle,         // the queue is finished and no transfer is in flight
    output wire                    issue,        // a transfer starts in this cycle (performance probe)
    output wire                    finish,       // its last beat is in this cycle
    // DRAM
    output wire                    dram_req,
    output wire                    dram_we,
    output wire [31:0]             dram_addr,
    output wire [31:0]             dram_len,
    input  wire                    dram_beat,
    /* verilator lint_off UNUSEDSIGNAL */ // slot padding: words narrower than their slots
    input  wire [BEAT_W-1:0]       dram_rdata,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [BEAT_W-1:0]       dram_wdata,
    // weight and bias banks (load_weights): beat k of the weights, or of the biases
    output wire                    wb_we,
    output wire                    bb_we,
    output reg                     w_bank,
    output wire [KW-1:0]           w_beat,
    // feature-map buffers: FM_WPB word ports (loads write, stores read the buffer in their flat index's top bit)
    output wire [FM_WPB-1:0]       fm_we,
    output wire                    fm_rd,        // a store reads the feature-map buffer of fm_idx (its read port)
    output wire [FM_WPB*FLAT_W-1:0] fm_idx,      // write index, or the next read index (store)
    output wire [FM_WPB*FM_W-1:0]  fm_wdata,
    input  wire [FM_WPB*FM_W-1:0]  fm_rdata,     // fm[fm_idx of the last edge]
    // result memory (a wide store_output): RES_WPB word ports
    output wire [RES_WPB*RES_AW-1:0] res_idx,
    input  wire [RES_WPB*RES_W-1:0]  res_rdata
);
    localparam [2:0] OP_INPUT = 3'd0, OP_WEIGHTS = 3'd1, OP_STORE = 3'd2, OP_LOAD_ROWS = 3'd3, OP_STORE_ROWS = 3'd4;
    localparam integer LFW = $clog2(FM_WPB);
    localparam integer LRW = $clog2(RES_WPB);

    reg [15:0] qpc;
    reg        busy, wide, xbuf;
    reg [2:0]  op;
    reg [31:0] beats, wbeats, k;
    reg [15:0] lbeats, lwords, lines;
    reg [BA_W-1:0] plane;
    // feature-map walk of the beat in flight: beat gb of line gi (group bank gbank, plane base pbase) of the row at
    // rbase (the first word's address + row * words per line)
    reg [15:0]     gb, gi;
    reg [LB-1:0]   gbank;
    reg [BA_W-1:0] pbase, rbase;
    reg            run;
    reg [15:0]     rows_freed, tiles_done;

    assign dq_addr = qpc[DQ_AW-1:0];
    /* verilator lint_off UNUSEDSIGNAL */ // spare queue-entry bits
    wire [31:0] d0 = dq_ins[31:0], d1 = dq_ins[63:32], d2 = dq_ins[95:64], d3 = dq_ins[127:96];
    wire [31:0] d4 = dq_ins[159:128], d5 = dq_ins[191:160];
    /* verilator lint_on UNUSEDSIGNAL */
    wire [2:0]  q_op   = d0[2:0];
    wire        q_bank = d0[4];
    wire        dep_ok = q_op == OP_INPUT
                      || (q_op == OP_WEIGHTS && (q_bank ? released1 : released0) >= d0[31:16])
                      || (q_op == OP_STORE && compute_done)
                      || (q_op == OP_LOAD_ROWS && rows_freed >= d0[31:16])
                      || (q_op == OP_STORE_ROWS && tiles_done >= d0[31:16]);
    wire        q_store = q_op == OP_STORE || q_op == OP_STORE_ROWS;
    wire        store   = op == OP_STORE || op == OP_STORE_ROWS;
    wire        load    = op == OP_INPUT || op == OP_LOAD_ROWS;
    assign issue    = run && !busy && qpc != dq_len && dep_ok;
    assign idle     = !busy && qpc == dq_len;
    assign dram_req  = issue;
    assign dram_we   = q_store;
    assign dram_addr = d1;
    assign dram_len  = d2;
    wire   last_beat = busy && dram_beat && k + 32'd1 == beats;
    assign finish    = last_beat;
    assign fm_rd     = issue ? q_store : busy && store;

    // ---- load_weights: beats [0, wbeats) to the weight bank, the rest to the bias bank ------------------------
    /* verilator lint_off UNUSEDSIGNAL */ // 32-bit beat arithmetic; the images are checked to fit the banks
    wire [31:0] bk = k - wbeats;
    /* verilator lint_on UNUSEDSIGNAL */
    assign wb_we  = busy && dram_beat && op == OP_WEIGHTS && k < wbeats;
    assign bb_we  = busy && dram_beat && op == OP_WEIGHTS && k >= wbeats;
    assign w_beat = k < wbeats ? k[KW-1:0] : bk[KW-1:0];

    // ---- feature maps: the beat's words j at rbase + pbase + gb*FM_WPB + j (beyond a line's words: padding) -----
    function [FLAT_W-1:0] flat(input sel, input [LB-1:0] bank, input [BA_W-1:0] a);
        flat = {sel, bank, a};
    endfunction
    // the walk one beat on (a store reads the next beat's words one cycle ahead)
    wire        l_end   = gb + 16'd1 == lbeats;
    wire        r_end   = l_end && gi + 16'd1 == lines;
    wire [15:0] gb_n    = l_end ? 16'd0 : gb + 16'd1;
    wire [15:0] gi_n    = r_end ? 16'd0 : (l_end ? gi + 16'd1 : gi);
    wire [LB-1:0] gbank_n = r_end ? {LB{1'b0}} : (l_end ? gbank + {{(LB-1){1'b0}}, 1'b1} : gbank);
    wire [BA_W-1:0] pbase_n = r_end ? {BA_W{1'b0}} : ((l_end && gbank == {LB{1'b1}}) ? pbase + plane : pbase);
    wire [BA_W-1:0] rbase_n = r_end ? rbase + lwords[BA_W-1:0] : rbase;
    // (in the issue cycle the walk starts: the first beat's words are read then, for a latency of 1)
    wire        adv     = busy && dram_beat;
    wire [15:0] gb_r    = issue ? 16'd0 : adv ? gb_n : gb;
    wire [LB-1:0] gbank_r = issue ? {LB{1'b0}} : adv ? gbank_n : gbank;
    wire [BA_W-1:0] pbase_r = issue ? {BA_W{1'b0}} : adv ? pbase_n : pbase;
    wire [BA_W-1:0] rbase_r = issue ? d5[BA_W-1:0] : adv ? rbase_n : rbase;
    // the buffer a store reads: store_output the one holding the network output, store_rows its entry's
    wire        rbuf    = issue ? (q_op == OP_STORE ? out_buf : d0[6]) : (op == OP_STORE ? out_buf : xbuf);
    /* verilator lint_off UNUSEDSIGNAL */ // 32-bit word arithmetic
    wire [31:0] kr = issue ? 32'd0 : adv ? k + 32'd1 : k;
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */ // the bits of a wide word beyond its current beat
    localparam integer WDF_W = FM_WPB*FM_SW > BEAT_W ? FM_WPB*FM_SW : BEAT_W;
    localparam integer WDR_W = RES_WPB*RES_SW > BEAT_W ? RES_WPB*RES_SW : BEAT_W;
    wire [WDF_W-1:0] wd_fm;
    wire [WDR_W-1:0] wd_res;
    /* verilator lint_on UNUSEDSIGNAL */
    genvar j;
    generate
        for (j = 0; j < FM_WPB; j = j + 1) begin : g_fm
            if (FM_SW <= BEAT_W) begin : g_fits
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0] pw = ({16'b0, gb} << LFW) + j;     // word of the line, this beat
                wire [31:0] pr = ({16'b0, gb_r} << LFW) + j;   // word of the line, the beat read ahead
                /* verilator lint_on UNUSEDSIGNAL */
                wire [BA_W-1:0] aw = rbase + pbase + pw[BA_W-1:0];
                wire [BA_W-1:0] ar = rbase_r + pbase_r + pr[BA_W-1:0];
                assign fm_we[j] = busy && dram_beat && load && pw[15:0] < lwords;
                assign fm_idx[j*FLAT_W +: FLAT_W] = busy && load ? flat(xbuf, gbank, aw) : flat(rbuf, gbank_r, ar);
                assign fm_wdata[j*FM_W +: FM_W] = dram_rdata[j*FM_SW +: FM_W];
                assign wd_fm[j*FM_SW +: FM_SW] = (!wide && pw[15:0] < lwords)
                    ? {{(FM_SW-FM_W){1'b0}}, fm_rdata[j*FM_W +: FM_W]} : {FM_SW{1'b0}};
            end else begin : g_wide
                // a word wider than a beat spans FM_BPW beats, the low beat first (docs/rtl.md §2): beat gb of a
                // line is slice gb % FM_BPW of word gb / FM_BPW. A load collects the slices and writes the word
                // with its last one; a store reads the word (one cycle ahead, as above) and sends it slice by slice.
                localparam integer FM_BPW = FM_SW / BEAT_W;
                localparam integer LFB = $clog2(FM_BPW);
                reg  [FM_SW-BEAT_W-1:0] gather;                 // the word's beats so far, shifted down
                wire [FM_SW-1:0] word_in = {dram_rdata, gather};
                /* verilator lint_off UNUSEDSIGNAL */
                wire [15:0] pw = gb >> LFB;
                wire [15:0] pr = gb_r >> LFB;
                /* verilator lint_on UNUSEDSIGNAL */
                wire [LFB-1:0] slice = gb[LFB-1:0];
                wire [BA_W-1:0] aw = rbase + pbase + pw[BA_W-1:0];
                wire [BA_W-1:0] ar = rbase_r + pbase_r + pr[BA_W-1:0];
                always @(posedge clk) begin
                    if (busy && dram_beat && load) gather <= word_in[FM_SW-1:BEAT_W];
                end
                assign fm_we[j] = busy && dram_beat && load && &slice && pw < lwords;
                assign fm_idx[j*FLAT_W +: FLAT_W] = busy && load ? flat(xbuf, gbank, aw) : flat(rbuf, gbank_r, ar);
                assign fm_wdata[j*FM_W +: FM_W] = word_in[FM_W-1:0];
                wire [FM_SW-1:0] padded = {{(FM_SW-FM_W){1'b0}}, fm_rdata[j*FM_W +: FM_W]};
                assign wd_fm = (!wide && pw < lwords) ? padded >> ({{(32-LFB){1'b0}}, slice} * BEAT_W)
                                                       : {WDF_W{1'b0}};
            end
        end
        for (j = 0; j < RES_WPB; j = j + 1) begin : g_res
            if (RES_SW <= BEAT_W) begin : g_fits
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0] rr = (kr << LRW) + j;
                /* verilator lint_on UNUSEDSIGNAL */
                assign res_idx[j*RES_AW +: RES_AW] = rr[RES_AW-1:0];
                assign wd_res[j*RES_SW +: RES_SW] = {{(RES_SW-RES_W){1'b0}}, res_rdata[j*RES_W +: RES_W]};
            end else begin : g_wide
                // a result word over RES_BPW beats, low beat first: beat k is slice k % RES_BPW of word k / RES_BPW
                localparam integer RES_BPW = RES_SW / BEAT_W;
                localparam integer LRB = $clog2(RES_BPW);
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0] rr = kr >> LRB;
                /* verilator lint_on UNUSEDSIGNAL */
                wire [LRB-1:0] slice = k[LRB-1:0];
                assign res_idx[j*RES_AW +: RES_AW] = rr[RES_AW-1:0];
                wire [RES_SW-1:0] padded = {{(RES_SW-RES_W){1'b0}}, res_rdata[j*RES_W +: RES_W]};
                assign wd_res = padded >> ({{(32-LRB){1'b0}}, slice} * BEAT_W);
            end
        end
    endgenerate
    // write data: the words read ahead, in their slots (slot padding and words beyond a line are zero)
    assign dram_wdata = wide ? wd_res[BEAT_W-1:0] : wd_fm[BEAT_W-1:0];

    always @(posedge clk) begin
        if (rst) begin
            busy <= 1'b0;
            run <= 1'b0;
            qpc <= 16'd0;
            loaded0 <= 16'd0;
            loaded1 <= 16'd0;
            rows_loaded <= 16'd0;
            stores_done <= 16'd0;
            rows_freed <= 16'd0;
            tiles_done <= 16'd0;
            input_done <= 1'b0;
        end else if (start) begin
            run <= 1'b1;
            qpc <= 16'd0;
            loaded0 <= 16'd0;
            loaded1 <= 16'd0;
            rows_loaded <= 16'd0;
            stores_done <= 16'd0;
            rows_freed <= 16'd0;
            tiles_done <= 16'd0;
            input_done <= 1'b0;
        end else begin
            if (rows_free) rows_freed <= rows_freed + 16'd1;
            if (tile_written) tiles_done <= tiles_done + 16'd1;
            if (issue) begin
                busy <= 1'b1;
                op <= q_op;
                wide <= d0[5];
                xbuf <= d0[6];
                w_bank <= q_bank;
                beats <= d2;
                wbeats <= d3;
                lbeats <= d3[15:0];
                lwords <= d3[31:16];
                lines <= d4[15:0];
                plane <= d4[16 +: BA_W];
                k <= 32'd0;
                gb <= 16'd0;
                gi <= 16'd0;
                gbank <= {LB{1'b0}};
                pbase <= {BA_W{1'b0}};
                rbase <= d5[BA_W-1:0];
                qpc <= qpc + 16'd1;
            end else if (adv) begin
                k <= k + 32'd1;
                gb <= gb_n;
                gi <= gi_n;
                gbank <= gbank_n;
                pbase <= pbase_n;
                rbase <= rbase_n;
                if (last_beat) begin
                    busy <= 1'b0;
                    if (op == OP_WEIGHTS && !w_bank) loaded0 <= loaded0 + 16'd1;
                    if (op == OP_WEIGHTS && w_bank) loaded1 <= loaded1 + 16'd1;
                    if (op == OP_INPUT) input_done <= 1'b1;
                    if (op == OP_LOAD_ROWS) rows_loaded <= rows_loaded + 16'd1;
                    if (op == OP_STORE_ROWS) stores_done <= stores_done + 16'd1;
                end
            end
        end
    end
endmodule
