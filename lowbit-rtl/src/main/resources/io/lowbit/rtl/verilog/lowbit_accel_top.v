// Accelerator top: a program of layers (lowbit_sequencer) on the conv unit (lowbit_controller, lowbit_conv_unit)
// and the pool unit (lowbit_pool_unit), over two ping-pong feature-map buffers, with a DMA engine (lowbit_dma)
// that moves the input image, every layer's weights and biases and the network output between an external DRAM
// and the on-chip memories (docs/rtl.md §1-2).
// Memories: CSRs (the running layer's descriptor), layer descriptors, instructions, the DMA queue, two weight
// banks and two bias banks (double buffering: load_weights fills one while the conv unit reads the other), two
// feature-map buffers and a result memory.
// Feature maps are in the input-map layout: word = PI codes of one pixel, lane i = channel g*PI + i; group g lives
// in bank g % NB at in-bank address (g / NB)*H*W + y*W + x. The flat index of the host port is
// (buffer*NB + bank)*2^BA_W + in-bank address. Every large memory has one write port and synchronous reads, so
// that Yosys maps it to block RAM (docs/rtl.md §4): a bank is FM_WPB sub-banks (lowbit_fm_ram), the instruction
// memory is read on the falling clock edge (below). A layer reads buffer buf_sel and writes the other one; a conv
// batch (RQ*PO channels of one pixel, NB banks) is written in one cycle (lowbit_fm_writer). A pool flagged
// "wide" (a network's last layer with outputs wider than AW, e.g. int16 logits) writes the result memory instead:
// PI lanes of 2*AW bits at the plain address (g*H_out + y)*W_out + x.
// The host writes the descriptors, instructions and the DMA queue through the host_* port (host_sel picks the
// memory). A program with DMA needs nothing else: the DMA loads the input and the weights and stores the output
// to DRAM. Single-layer runs without DMA instead preload weight and bias bank 0 and feature-map buffer 0 through
// the host port and read a buffer or the result memory back.
// DRAM port (lowbit_dma): dram_req (one cycle) with the beat address, the beat count and the direction; the DRAM
// answers with one dram_beat per cycle, the first `latency` cycles after the request; beats are BEAT_W bits
// (the configuration's DMA bytes per cycle).
// Conv CSR words: 0 H_in, 1 W_in, 2 W_out, 3 kH, 4 kW, 5 sH, 6 sW, 7 padLeft, 8 passes, 9 Z_in, 10 in_signed,
//   11 shift, 12 half_up, 13 Z_out, 14 lo, 15 hi, 16 H_out*W_out, 17 the next conv layer's first pass address + 1
//   (0: none; its preload overlaps this layer's last pass), 18 .. 31 the pass loop (lowbit_pass_loop),
//   CB + e: codebook entry e.
// Pool CSR words: 0 avg, 1 in_signed, 2 half_up, 3 kH, 4 kW, 5 sH, 6 sW, 7 padTop, 8 padLeft, 9 H, 10 W,
//   11 H_out, 12 W_out, 13 groups, 14 Z_in, 15 Z_out, 16 lo, 17 hi, 18 M0, 19 shift, 20 wide.
module lowbit_accel_top #(
    parameter integer PO           = 4,
    parameter integer PI           = 4,
    parameter integer PES          = 25,
    parameter integer AW           = 8,
    parameter integer WW           = 8,
    parameter integer IB           = 2,
    parameter integer ACCW         = 32,
    parameter integer RQ           = 25,     // requantizers per conv module
    parameter integer MUL_PE       = 0,      // PE style: 0 codebook-select, 1 multiplier per PE
    parameter integer PACK         = 1,      // products per multiplication (packed DSP48 slices)
    parameter integer LUT_MUL      = 0,      // PE / codebook products in LUT logic (multipliers: lut)
    parameter integer PSUM_ENTRIES = 4096,
    parameter integer IMEM_DEPTH   = 1024,
    parameter integer WMEM_DEPTH   = 4096,
    parameter integer BMEM_DEPTH   = 1024,
    parameter integer DESC_DEPTH   = 64,
    parameter integer LB           = 3,      // log2 of the feature-map banks per buffer
    parameter integer BA_W         = 13,     // in-bank address bits
    parameter integer FM_WORDS     = 1 << BA_W,  // words of a bank of buffer 0 (the configured ones; <= 2^BA_W)
    parameter integer FM_WORDS1    = FM_WORDS,   // words of a bank of buffer 1 (buffers.featureMapBytes1)
    parameter integer RES_DEPTH    = 1024,
    parameter integer HOST_W       = 1152,   // >= the widest memory word: a descriptor, 32*(32 + 2^IB)
    parameter integer BEAT_W       = 64,     // DRAM beat: the DMA's bytes per cycle
    parameter integer POOL_SW      = 20,     // pool unit's window-sum bits (the host checks average windows)
    parameter integer DQ_DEPTH     = 256,    // DMA queue entries
    parameter integer IMEM_AW      = $clog2(IMEM_DEPTH),
    parameter integer WMEM_AW      = $clog2(WMEM_DEPTH),
    parameter integer BMEM_AW      = $clog2(BMEM_DEPTH),
    parameter integer DESC_AW      = $clog2(DESC_DEPTH),
    parameter integer RES_AW       = $clog2(RES_DEPTH),
    parameter integer DQ_AW        = $clog2(DQ_DEPTH),
    parameter integer FLAT_W       = 1 + LB + BA_W      // {buffer, bank, in-bank}
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire                   start,
    output wire                   busy,
    output wire                   done,
    // host access: sel 0 CSR, 1 instructions, 2 weight indexes (bank 0), 3 biases (bank 0), 4 feature maps (flat
    // index), 5 layer descriptors, 6 program length [15:0] and DMA queue length [31:16], 7 DMA queue entries
    input  wire                   host_we,
    input  wire [2:0]             host_sel,
    /* verilator lint_off UNUSEDSIGNAL */ // one address port for memories of different depths
    input  wire [31:0]            host_addr,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [HOST_W-1:0]      host_wdata,
    input  wire                   host_out_sel,  // 0 feature maps (flat index), 1 result memory
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [31:0]            host_out_addr,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [PI*2*AW-1:0]     host_out_data, // the word at host_out_addr of the last edge (when idle)
    output wire                   out_write,     // a feature-map or result word is written (performance probe)
    output wire                   layer_done,    // a conv layer or pool finished (a pulse)
    output wire [31:0]            cycles,        // the last unit's counters (conv controller or pool unit)
    output wire [31:0]            stream_cycles,
    output wire [31:0]            stall_cycles,
    output wire [31:0]            wait_cycles,   // the last conv layer's cycles waiting for its weight bank
    output reg  [31:0]            total_cycles,  // the whole program: from the first cycle after start to done
    // DRAM (lowbit_dma)
    output wire                   dram_req,
    output wire                   dram_we,
    output wire [31:0]            dram_addr,
    output wire [31:0]            dram_len,
    input  wire                   dram_beat,
    input  wire [BEAT_W-1:0]      dram_rdata,
    output wire [BEAT_W-1:0]      dram_wdata,
    output wire                   dma_issue,     // a transfer starts (performance probe)
    output wire                   dma_finish     // a transfer's last beat
);
    localparam integer NB     = 1 << LB;
    localparam integer TW     = $clog2(PES + 1);
    localparam integer PA_W   = $clog2(PSUM_ENTRIES);
    localparam integer CB     = 32;               // first codebook CSR
    localparam integer NCSR   = CB + (1 << IB);
    localparam integer WMEM_W = PO * PI * IB;
    localparam integer BMEM_W = PO * ACCW;
    localparam integer FM_W   = PI * AW;
    localparam integer OW     = 2 * AW;           // pool outputs (wide: the result memory)
    localparam integer DRAIN  = $clog2(PI) + 4;
    localparam integer RW     = PI > 1 ? $clog2(PI) : 1;
    localparam integer TAG_W  = RW + 16 + BA_W;
    // slots of the words in DRAM beats: the next power of two (lowbit_dma_ram, lowbit_dma)
    localparam integer W_SW   = 1 << $clog2(WMEM_W);
    localparam integer B_SW   = 1 << $clog2(BMEM_W);
    localparam integer FM_SW  = 1 << $clog2(FM_W);
    localparam integer RES_W  = PI * OW;
    localparam integer RES_SW = 1 << $clog2(RES_W);
    localparam integer FM_WPB = BEAT_W / FM_SW > 0 ? BEAT_W / FM_SW : 1;
    localparam integer RES_WPB = BEAT_W / RES_SW > 0 ? BEAT_W / RES_SW : 1;
    localparam integer KW     = 24;               // beat index bits of a weight or bias bank

    /* verilator lint_off UNUSEDSIGNAL */ // host words are as wide as the widest memory; CSRs use their low bits
    wire [HOST_W-1:0] hw = host_wdata;
    reg  [31:0] csr [0:NCSR-1];
    reg  [NCSR*32-1:0] dmem [0:DESC_DEPTH-1];
    /* verilator lint_on UNUSEDSIGNAL */
    reg  [191:0]       dqmem [0:DQ_DEPTH-1];
    reg  [PI*OW-1:0]   rmem [0:RES_DEPTH-1];
    reg  [15:0]        prog_len, dq_len;

    // ---- instruction memory ------------------------------------------------------------------------------------
    // Read on the falling edge: the sequencer and the controller present their addresses (registers and logic
    // after them) in the cycle they use the instruction, as from an asynchronous memory, and a block RAM clocked on
    // the inverted clock delivers it half a cycle later (no cycle changes; half a cycle for the address logic and
    // the RAM). Two readers would need two read ports, so the sequencer, which only decodes w0[4:2] and the
    // descriptor address in w2, reads its own narrow copy.
    // Stored words are IW bits: the fields of w0..w7 the decoders read, each as wide as this configuration needs
    // (io.lowbit.rtl.InstructionFormat, same order and widths), packed; ctrl_ins is the 256-bit instruction the
    // controller decodes, the fields zero-extended. w4 (input address) and w5[23:0] (output pixel base) keep their
    // low BA_W bits only: the controller uses them modulo 2^BA_W (fm_addr, the tag's pixel).
    localparam integer I_TW  = $clog2(PES + 1);
    localparam integer I_ICW = $clog2(PI + 1) < 8 ? $clog2(PI + 1) : 8;
    localparam integer I_OCW = $clog2(PO * PES + 1) < 16 ? $clog2(PO * PES + 1) : 16;
    localparam integer I_WBW = (WMEM_AW > DESC_AW ? WMEM_AW : DESC_AW) < 16 ? (WMEM_AW > DESC_AW ? WMEM_AW : DESC_AW)
                               : 16;
    localparam integer I_BBW = BMEM_AW < 24 ? BMEM_AW : 24;
    localparam integer I_RW  = PI > 1 ? $clog2(PI) : 1;
    localparam integer O_T    = 6;
    localparam integer O_SL   = O_T + I_TW;
    localparam integer O_IC   = O_SL + I_TW;
    localparam integer O_OC   = O_IC + I_ICW;
    localparam integer O_DR   = O_OC + I_OCW;
    localparam integer O_DC   = O_DR + 8;
    localparam integer O_WB   = O_DC + 8;
    localparam integer O_NEED = O_WB + I_WBW;
    localparam integer O_BB   = O_NEED + 16;
    localparam integer O_R0   = O_BB + I_BBW;
    localparam integer O_IA   = O_R0 + I_RW;
    localparam integer O_PB   = O_IA + BA_W;
    localparam integer O_IB   = O_PB + BA_W;
    localparam integer O_W6   = O_IB + LB;
    localparam integer O_W7   = O_W6 + 32;
    localparam integer IW     = O_W7 + 32;
    function [255:0] unpack(input [IW-1:0] r);
        begin
            unpack = 256'b0;
            unpack[0 +: 6]        = r[0 +: 6];
            unpack[8 +: I_TW]     = r[O_T +: I_TW];
            unpack[16 +: I_TW]    = r[O_SL +: I_TW];
            unpack[24 +: I_ICW]   = r[O_IC +: I_ICW];
            unpack[32 +: I_OCW]   = r[O_OC +: I_OCW];
            unpack[48 +: 8]       = r[O_DR +: 8];
            unpack[56 +: 8]       = r[O_DC +: 8];
            unpack[64 +: I_WBW]   = r[O_WB +: I_WBW];
            unpack[80 +: 16]      = r[O_NEED +: 16];
            unpack[96 +: I_BBW]   = r[O_BB +: I_BBW];
            unpack[120 +: I_RW]   = r[O_R0 +: I_RW];
            unpack[128 +: BA_W]   = r[O_IA +: BA_W];
            unpack[160 +: BA_W]   = r[O_PB +: BA_W];
            unpack[184 +: LB]     = r[O_IB +: LB];
            unpack[192 +: 64]     = r[O_W6 +: 64];
        end
    endfunction
    localparam integer SEQ_W = 3 + DESC_AW;
    wire [IMEM_AW-1:0] pc_addr, ctrl_imem_addr;
    reg  [IW-1:0]      imem [0:IMEM_DEPTH-1];
    reg  [SEQ_W-1:0]   iseq [0:IMEM_DEPTH-1];
    reg  [IW-1:0]      ctrl_raw;
    reg  [SEQ_W-1:0]   seq_f;
    always @(negedge clk) ctrl_raw <= imem[ctrl_imem_addr];
    always @(negedge clk) seq_f <= iseq[pc_addr];
    wire [255:0] ctrl_ins = unpack(ctrl_raw);
    wire [255:0] seq_ins = ({{(256-DESC_AW){1'b0}}, seq_f[3 +: DESC_AW]} << 64) | {251'b0, seq_f[2:0], 2'b00};

    // ---- sequencer --------------------------------------------------------------------------------------------
    wire               csr_load, conv_start, conv_done, pool_start, pool_done, buf_sel, pool_active;
    wire [DESC_AW-1:0] desc_addr;
    wire               input_done, compute_done, dma_idle;
    /* verilator lint_off UNUSEDSIGNAL */ // the top follows compute_done
    wire               seq_busy;
    /* verilator lint_on UNUSEDSIGNAL */
    lowbit_sequencer #(.IMEM_AW(IMEM_AW), .DESC_AW(DESC_AW)) u_seq (.clk(clk), .rst(rst), .start(start),
        .busy(seq_busy),
        .prog_len(prog_len), .pc_addr(pc_addr), .ins(seq_ins),
        .csr_load(csr_load), .desc_addr(desc_addr), .conv_start(conv_start), .conv_done(conv_done),
        .pool_start(pool_start), .pool_done(pool_done), .buf_sel(buf_sel), .pool_active(pool_active),
        .unit_done(layer_done), .input_done(input_done), .compute_done(compute_done));

    // the program runs until its compute is done and the DMA queue has drained (store_output is its last entry)
    reg running, done_r;
    assign busy = running;
    assign done = done_r;
    always @(posedge clk) begin
        if (rst) begin
            running <= 1'b0;
            done_r <= 1'b0;
        end else begin
            done_r <= 1'b0;
            if (start) begin
                running <= 1'b1;
                total_cycles <= 32'd0;
            end else if (running) begin
                if (compute_done && dma_idle) begin
                    running <= 1'b0;
                    done_r <= 1'b1;
                end else begin
                    total_cycles <= total_cycles + 32'd1;
                end
            end
        end
    end

    always @(posedge clk) begin
        if (host_we) begin
            case (host_sel)
                3'd0: csr[host_addr[$clog2(NCSR)-1:0]] <= hw[31:0];
                3'd1: begin
                    imem[host_addr[IMEM_AW-1:0]] <= hw[IW-1:0];
                    iseq[host_addr[IMEM_AW-1:0]] <= {hw[O_WB +: DESC_AW], hw[4:2]};
                end
                3'd5: dmem[host_addr[DESC_AW-1:0]] <= hw[NCSR*32-1:0];
                3'd6: begin prog_len <= hw[15:0]; dq_len <= hw[31:16]; end
                3'd7: dqmem[host_addr[DQ_AW-1:0]] <= hw[191:0];
                default: ; // 2, 3: the weight and bias banks, 4: the feature-map buffers (below)
            endcase
        end
    end
    // (array writes in generate loops: one statement per element, which Verilator keeps apart; a loop of
    // non-blocking writes to one array in one always block is not)
    genvar k;
    generate
        for (k = 0; k < NCSR; k = k + 1) begin : g_csr_load
            always @(posedge clk) if (csr_load) csr[k] <= dmem[desc_addr][k*32 +: 32];
        end
    endgenerate

    // codebook levels from the CSRs
    wire [(1<<IB)*WW-1:0] codebook;
    genvar e;
    generate
        for (e = 0; e < (1 << IB); e = e + 1) begin : g_cb
            assign codebook[e*WW +: WW] = csr[CB + e][WW-1:0];
        end
    endgenerate

    // ---- conv controller and conv unit ---------------------------------------------------------------------
    wire [WMEM_AW-1:0] wmem_addr;
    wire [BMEM_AW-1:0] bmem_addr;
    wire [BA_W-1:0]    fm_addr;
    wire [7:0]         fm_bank;
    wire               shift_en, bias_shift, load, px_s1, in_bounds_s1, load_s1, valid_s1, first_s1, last_s1;
    wire [TW-1:0]      taps_next, slots_s1;
    wire [TW:0]        in_count_s1;
    wire [15:0]        out_count_s1;
    wire [PA_W-1:0]    pa_s1;
    wire [TAG_W-1:0]   oa_s1;
    wire [31:0]        conv_cycles, conv_stream, conv_stall;
    /* verilator lint_off UNUSEDSIGNAL */ // read by tb_top (hierarchically) only
    wire [31:0]        store_wait_cycles;
    /* verilator lint_on UNUSEDSIGNAL */
    wire               rd_bank, release_bank;
    wire [15:0]        loaded0, loaded1;
    // feature maps in DRAM (docs/rtl.md §1): completed load_rows / store_rows, and the controller's events
    wire [15:0]        rows_loaded, stores_done;
    wire               rows_free, tile_written;
    reg  [15:0]        released0, released1;
    /* verilator lint_off UNUSEDSIGNAL */ // the sequencer follows the units' done pulses
    wire               ctrl_busy, pool_busy;
    /* verilator lint_on UNUSEDSIGNAL */

    wire [14*32-1:0] loop_csr;
    generate
        for (k = 0; k < 14; k = k + 1) begin : g_loop_csr
            assign loop_csr[k*32 +: 32] = csr[18 + k];
        end
    endgenerate
    lowbit_controller #(.TW(TW), .PA_W(PA_W), .IMEM_AW(IMEM_AW), .WMEM_AW(WMEM_AW),
        .BMEM_AW(BMEM_AW), .FM_AW(BA_W), .RW(RW), .DRAIN(DRAIN), .PES(PES), .RQ(RQ), .PI(PI), .NB(NB)) u_ctrl (
        .clk(clk), .rst(rst), .start(conv_start), .busy(ctrl_busy), .done(conv_done),
        .h_in(csr[0][15:0]), .w_in(csr[1][15:0]), .w_out(csr[2][15:0]), .k_h(csr[3][7:0]), .k_w(csr[4][7:0]),
        .s_h(csr[5][7:0]), .s_w(csr[6][7:0]), .pad_left(csr[7][7:0]), .n_instr(csr[8][15:0]), .base(pc_addr),
        .next_base(csr[17][15:0]), .loop_csr(loop_csr),
        .imem_addr(ctrl_imem_addr), .imem_data(ctrl_ins), .wmem_addr(wmem_addr),
        .bmem_addr(bmem_addr), .shift_en(shift_en), .bias_shift(bias_shift), .w_bank(rd_bank),
        .loaded0(loaded0), .loaded1(loaded1), .release_bank(release_bank), .fm_addr(fm_addr),
        .fm_bank(fm_bank), .load(load), .taps_next(taps_next),
        .px_s1(px_s1), .in_bounds_s1(in_bounds_s1), .in_count_s1(in_count_s1), .load_s1(load_s1),
        .valid_s1(valid_s1), .first_s1(first_s1), .last_s1(last_s1), .slots_s1(slots_s1),
        .out_count_s1(out_count_s1), .pa_s1(pa_s1), .oa_s1(oa_s1), .cycles(conv_cycles),
        .stream_cycles(conv_stream), .stall_cycles(conv_stall), .wait_cycles(wait_cycles),
        .rows_base(csr[3][31:16]), .store_base(csr[4][31:16]), .store_end(csr[5][31:16]),
        .rows_loaded(rows_loaded), .stores_done(stores_done), .rows_free(rows_free), .tile_written(tile_written),
        .store_wait_cycles(store_wait_cycles));

    // bank releases (the last pass of a tile has preloaded), counted per program run
    always @(posedge clk) begin
        if (rst || start) begin
            released0 <= 16'd0;
            released1 <= 16'd0;
        end else if (release_bank) begin
            if (rd_bank) released1 <= released1 + 16'd1;
            else released0 <= released0 + 16'd1;
        end
    end

    // ---- pool unit ---------------------------------------------------------------------------------------------
    wire [LB+BA_W-1:0] pool_rd_addr, pool_wr_addr;
    /* verilator lint_off UNUSEDSIGNAL */ // the result memory holds a network's (small) output, not whole maps
    wire [BA_W-1:0]    pool_wr_seq;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [PI*OW-1:0]   pool_wr_data;
    wire               pool_wr_en;
    wire [31:0]        pool_cycles, pool_stream;
    wire [FM_W-1:0]    fm_word;
    lowbit_pool_unit #(.PI(PI), .AW(AW), .OW(OW), .SW(POOL_SW), .LB(LB), .BA_W(BA_W)) u_pool (.clk(clk), .rst(rst),
        .start(pool_start), .busy(pool_busy), .done(pool_done), .avg(csr[0][0]), .in_signed(csr[1][0]),
        .half_up(csr[2][0]), .k_h(csr[3][15:0]), .k_w(csr[4][15:0]), .s_h(csr[5][15:0]), .s_w(csr[6][15:0]),
        .pad_top(csr[7][15:0]), .pad_left(csr[8][15:0]), .h_in(csr[9][15:0]), .w_in(csr[10][15:0]),
        .h_out(csr[11][15:0]), .w_out(csr[12][15:0]), .groups(csr[13][15:0]), .z_in(csr[14][AW+1:0]),
        .z_out(csr[15][OW+1:0]), .lo(csr[16][OW+1:0]), .hi(csr[17][OW+1:0]), .m0(csr[18][30:0]),
        .shift(csr[19][5:0]), .rd_addr(pool_rd_addr), .rd_data(fm_word), .wr_en(pool_wr_en),
        .wr_addr(pool_wr_addr), .wr_seq(pool_wr_seq), .wr_data(pool_wr_data), .cycles(pool_cycles),
        .stream_cycles(pool_stream));
    wire pool_wide = csr[20][0];

    assign cycles        = pool_active ? pool_cycles : conv_cycles;
    assign stream_cycles = pool_active ? pool_stream : conv_stream;
    assign stall_cycles  = pool_active ? 32'd0 : conv_stall;

    // ---- feature-map reads: one word per cycle from the input buffer (synchronous, block RAM, below) -----------
    // the flat index of (buffer, bank, in-bank address); banks are < NB (the host's w5 bank field)
    function [FLAT_W-1:0] flat(input sel, input [31:0] bank, input [BA_W-1:0] a);
        /* verilator lint_off UNUSEDSIGNAL */ // 32-bit index arithmetic; FLAT_W <= 32
        reg [31:0] f;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            f = ({31'b0, sel} << (LB + BA_W)) | (bank << BA_W) | {{(32-BA_W){1'b0}}, a};
            flat = f[FLAT_W-1:0];
        end
    endfunction
    wire [31:0]     pool_rd_bank = {{(32-LB-BA_W){1'b0}}, pool_rd_addr} >> BA_W;
    wire [31:0]     pool_wr_bank = {{(32-LB-BA_W){1'b0}}, pool_wr_addr} >> BA_W;
    wire [FLAT_W-1:0] rd_index = pool_active ? flat(buf_sel, pool_rd_bank, pool_rd_addr[BA_W-1:0])
                                             : flat(buf_sel, {24'b0, fm_bank}, fm_addr);

    // ---- DMA engine, weight and bias banks ---------------------------------------------------------------------
    wire               wb_we, bb_we, w_bank;
    wire [KW-1:0]      w_beat;
    wire [FM_WPB-1:0]  dfm_we;
    wire               dfm_rd;
    wire [FM_WPB*FLAT_W-1:0] dfm_idx;
    wire [FM_WPB*FM_W-1:0]   dfm_wdata;
    wire [FM_WPB*FM_W-1:0]   dfm_rdata;
    wire [RES_WPB*RES_AW-1:0] dres_idx;
    wire [DQ_AW-1:0]   dq_addr;
    reg  [RES_WPB*RES_W-1:0]  dres_rdata;
    lowbit_dma #(.BEAT_W(BEAT_W), .DQ_AW(DQ_AW), .LB(LB), .BA_W(BA_W), .FM_W(FM_W), .FM_SW(FM_SW), .RES_W(RES_W),
        .RES_SW(RES_SW), .RES_AW(RES_AW), .KW(KW)) u_dma (.clk(clk), .rst(rst), .start(start), .dq_len(dq_len),
        .dq_addr(dq_addr), .dq_ins(dqmem[dq_addr]), .compute_done(compute_done), .released0(released0),
        .released1(released1), .rows_free(rows_free), .tile_written(tile_written), .out_buf(buf_sel),
        .loaded0(loaded0), .loaded1(loaded1), .rows_loaded(rows_loaded), .stores_done(stores_done),
        .input_done(input_done),
        .idle(dma_idle), .issue(dma_issue), .finish(dma_finish), .dram_req(dram_req), .dram_we(dram_we),
        .dram_addr(dram_addr), .dram_len(dram_len), .dram_beat(dram_beat), .dram_rdata(dram_rdata),
        .dram_wdata(dram_wdata), .wb_we(wb_we), .bb_we(bb_we), .w_bank(w_bank), .w_beat(w_beat), .fm_we(dfm_we),
        .fm_rd(dfm_rd), .fm_idx(dfm_idx), .fm_wdata(dfm_wdata), .fm_rdata(dfm_rdata), .res_idx(dres_idx),
        .res_rdata(dres_rdata));

    // bank 0 is also the host's (single-layer runs); reads: the bank of the pass being preloaded
    wire [WMEM_W-1:0] w_index0, w_index1;
    wire [BMEM_W-1:0] bias_word0, bias_word1;
    reg               rd_bank_q;
    always @(posedge clk) rd_bank_q <= rd_bank;
    wire [WMEM_W-1:0] w_index   = rd_bank_q ? w_index1 : w_index0;
    wire [BMEM_W-1:0] bias_word = rd_bank_q ? bias_word1 : bias_word0;
    wire host_w = host_we && host_sel == 3'd2;
    wire host_b = host_we && host_sel == 3'd3;
    lowbit_dma_ram #(.WORD_W(WMEM_W), .SLOT_W(W_SW), .BEAT_W(BEAT_W), .DEPTH(WMEM_DEPTH), .AW(WMEM_AW), .KW(KW))
        u_wbank0 (.clk(clk), .host_we(host_w), .host_addr(host_addr[WMEM_AW-1:0]), .host_data(hw[WMEM_W-1:0]),
        .dma_we(wb_we && !w_bank), .dma_beat(w_beat), .dma_data(dram_rdata), .rd_addr(wmem_addr),
        .rd_data(w_index0));
    lowbit_dma_ram #(.WORD_W(WMEM_W), .SLOT_W(W_SW), .BEAT_W(BEAT_W), .DEPTH(WMEM_DEPTH), .AW(WMEM_AW), .KW(KW))
        u_wbank1 (.clk(clk), .host_we(1'b0), .host_addr(host_addr[WMEM_AW-1:0]), .host_data(hw[WMEM_W-1:0]),
        .dma_we(wb_we && w_bank), .dma_beat(w_beat), .dma_data(dram_rdata), .rd_addr(wmem_addr),
        .rd_data(w_index1));
    lowbit_dma_ram #(.WORD_W(BMEM_W), .SLOT_W(B_SW), .BEAT_W(BEAT_W), .DEPTH(BMEM_DEPTH), .AW(BMEM_AW), .KW(KW))
        u_bbank0 (.clk(clk), .host_we(host_b), .host_addr(host_addr[BMEM_AW-1:0]), .host_data(hw[BMEM_W-1:0]),
        .dma_we(bb_we && !w_bank), .dma_beat(w_beat), .dma_data(dram_rdata), .rd_addr(bmem_addr),
        .rd_data(bias_word0));
    lowbit_dma_ram #(.WORD_W(BMEM_W), .SLOT_W(B_SW), .BEAT_W(BEAT_W), .DEPTH(BMEM_DEPTH), .AW(BMEM_AW), .KW(KW))
        u_bbank1 (.clk(clk), .host_we(1'b0), .host_addr(host_addr[BMEM_AW-1:0]), .host_data(hw[BMEM_W-1:0]),
        .dma_we(bb_we && w_bank), .dma_beat(w_beat), .dma_data(dram_rdata), .rd_addr(bmem_addr),
        .rd_data(bias_word1));

    // the DMA's result-memory ports (a wide store_output); port 0 is also the host's (when the program is not
    // running), so that a result word per beat needs one read port
    genvar dj;
    generate
        for (dj = 0; dj < RES_WPB; dj = dj + 1) begin : g_dres
            if (dj == 0) begin : g_host
                always @(posedge clk)
                    dres_rdata[0 +: RES_W] <= rmem[running ? dres_idx[0 +: RES_AW] : host_out_addr[RES_AW-1:0]];
            end else begin : g_dma
                always @(posedge clk) dres_rdata[dj*RES_W +: RES_W] <= rmem[dres_idx[dj*RES_AW +: RES_AW]];
            end
        end
    endgenerate

    wire               out_we;
    wire [TAG_W-1:0]   out_tag;
    wire [PO*PES-1:0]  out_be;
    wire [PO*PES*AW-1:0] out_data;
    lowbit_conv_unit #(.PO(PO), .PI(PI), .PES(PES), .AW(AW), .WW(WW), .IB(IB), .ACCW(ACCW), .RQ(RQ),
        .MUL_PE(MUL_PE), .PACK(PACK), .LUT_MUL(LUT_MUL),
        .PSUM_ENTRIES(PSUM_ENTRIES), .OUT_AW(TAG_W), .TW(TW), .PA_W(PA_W)) u_conv (
        .clk(clk), .codebook(codebook), .z_in(csr[9][AW+1:0]), .in_signed(csr[10][0]), .rq_shift(csr[11][4:0]),
        .rq_half_up(csr[12][0]), .rq_zero_point(csr[13][AW+1:0]), .rq_lo(csr[14][AW+1:0]),
        .rq_hi(csr[15][AW+1:0]), .shift_en(shift_en), .w_index(w_index), .bias_shift(bias_shift),
        .bias_in(bias_word), .load(load), .taps_next(taps_next), .px_s1(px_s1), .in_bounds_s1(in_bounds_s1),
        .in_count_s1(in_count_s1), .fm_word_s1(fm_word), .load_s1(load_s1), .valid_s1(valid_s1),
        .first_s1(first_s1), .last_s1(last_s1), .slots_s1(slots_s1), .out_count_s1(out_count_s1), .pa_s1(pa_s1),
        .oa_s1(oa_s1), .out_we(out_we), .out_addr(out_tag), .out_be(out_be), .out_data(out_data));

    // ---- feature-map buffers: per buffer, bank and sub-bank one lowbit_fm_ram ----------------------------------
    // A beat of the DMA is FM_WPB consecutive words of one bank; word a of a bank lives in sub-bank a % FM_WPB at
    // a / FM_WPB, so the words of a beat fall into different sub-banks and every memory needs one write port and
    // one read port. A unit read, a pool write, a conv bank write and a host access touch one word each, i.e. one
    // sub-bank. Writers, one at a time in a program (priority: DMA load_input, pool, conv writer, host); readers:
    // the host while the program is not running, the DMA (store_output) once the compute is done, else the
    // conv controller or the pool unit. A reader's word is picked from the memories' outputs by the index it
    // presented at the last edge, so every read keeps its one cycle of latency.
    localparam integer NS     = FM_WPB;
    localparam integer LS     = $clog2(NS);
    localparam integer SUB_AW = BA_W > LS ? BA_W - LS : 1;
    localparam integer SUB_D0 = (FM_WORDS + NS - 1) / NS;     // sub-bank depths of buffer 0 and 1
    localparam integer SUB_D1 = (FM_WORDS1 + NS - 1) / NS;
    localparam integer NM     = 2 * NB * NS;       // memories
    /* verilator lint_off UNUSEDSIGNAL */ // 32-bit index arithmetic
    function [SUB_AW-1:0] sub_addr(input [BA_W-1:0] a);
        reg [31:0] t;
        begin
            t = {{(32-BA_W){1'b0}}, a} >> LS;
            sub_addr = t[SUB_AW-1:0];
        end
    endfunction
    function [31:0] sub_of(input [BA_W-1:0] a);
        sub_of = {{(32-BA_W){1'b0}}, a} & (NS - 1);
    endfunction
    function [31:0] bank_of(input [FLAT_W-1:0] f);
        bank_of = ({{(32-FLAT_W){1'b0}}, f} >> BA_W) & (NB - 1);
    endfunction
    // the memory holding flat index f
    function [31:0] mem_of(input [FLAT_W-1:0] f);
        mem_of = ({31'b0, f[FLAT_W-1]} * NB + bank_of(f)) * NS + sub_of(f[BA_W-1:0]);
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */
    wire [NM*FM_W-1:0] fm_rd;
    function [FM_W-1:0] pick(input [FLAT_W-1:0] f);
        pick = fm_rd[mem_of(f)*FM_W +: FM_W];
    endfunction

    // read addresses, one per buffer and sub-bank (shared by the banks: only the addressed word's memory matters).
    // A buffer's reader: the host while the program is not running, the DMA while it stores from that buffer
    // (store_output once the compute is done, store_rows while the conv unit reads the other buffer), else the
    // conv controller or the pool unit.
    wire             host_fm_we = host_we && host_sel == 3'd4;
    wire [FLAT_W-1:0] host_fm_idx = host_addr[FLAT_W-1:0];
    wire [FLAT_W-1:0] host_rd_idx = host_out_addr[FLAT_W-1:0];
    wire             dma_rd_buf = dfm_idx[FLAT_W-1];
    wire [2*NS*SUB_AW-1:0] fm_ra;
    genvar s, x;
    generate
        for (x = 0; x < 2; x = x + 1) begin : g_ra_buf
            for (s = 0; s < NS; s = s + 1) begin : g_ra
                integer j;
                reg [SUB_AW-1:0] a;
                always @* begin
                    a = sub_addr(rd_index[BA_W-1:0]);
                    if (!running) begin
                        a = sub_addr(host_rd_idx[BA_W-1:0]);
                    end else if (dfm_rd && dma_rd_buf == x) begin
                        for (j = 0; j < FM_WPB; j = j + 1)
                            if (sub_of(dfm_idx[j*FLAT_W +: BA_W]) == s) a = sub_addr(dfm_idx[j*FLAT_W +: BA_W]);
                    end
                end
                assign fm_ra[(x*NS + s)*SUB_AW +: SUB_AW] = a;
            end
        end
    endgenerate

    // the readers' indexes of the last edge
    reg [FLAT_W-1:0]        rd_index_q, host_rd_q;
    reg [FM_WPB*FLAT_W-1:0] dfm_idx_q;
    reg                     host_out_sel_q;
    always @(posedge clk) begin
        rd_index_q <= rd_index;
        dfm_idx_q <= dfm_idx;
        host_rd_q <= host_rd_idx;
        host_out_sel_q <= host_out_sel;
    end
    assign fm_word = pick(rd_index_q);
    generate
        for (dj = 0; dj < FM_WPB; dj = dj + 1) begin : g_dfm
            assign dfm_rdata[dj*FM_W +: FM_W] = pick(dfm_idx_q[dj*FLAT_W +: FLAT_W]);
        end
    endgenerate

    // ---- feature-map writes into the output buffer: conv batches over the banks, or pool words ----------------
    wire [NB-1:0]       bank_we;
    wire [NB*BA_W-1:0]  bank_addr;
    wire [NB*PI-1:0]    bank_be;
    wire [NB*PI*AW-1:0] bank_data;
    lowbit_fm_writer #(.PO(PO), .PI(PI), .PES(PES), .RQ(RQ), .AW(AW), .NB(NB), .LB(LB), .BA_W(BA_W), .RW(RW)) u_wr (
        .we(out_we), .out_tag(out_tag), .lane_en(out_be), .lane_data(out_data), .hw(csr[16][BA_W-1:0]),
        .bank_we(bank_we), .bank_addr(bank_addr), .bank_be(bank_be), .bank_data(bank_data));
    assign out_write = out_we || pool_wr_en;

    wire [FM_W-1:0] pool_fm_data;
    genvar b, l;
    generate
        for (l = 0; l < PI; l = l + 1) begin : g_pool_lane
            assign pool_fm_data[l*AW +: AW] = pool_wr_data[l*OW +: AW];
        end
    endgenerate
    wire pool_fm_we = pool_wr_en && !pool_wide;

`ifndef SYNTHESIS
    // simulation only: a flat copy of both buffers, written like the memories, for tb_top's per-layer dumps
    /* verilator lint_off UNUSEDSIGNAL */
    reg [FM_W-1:0] fm [0:(2 << (LB + BA_W))-1];
    /* verilator lint_on UNUSEDSIGNAL */
`endif
    generate
        for (x = 0; x < 2; x = x + 1) begin : g_fmbuf
            for (b = 0; b < NB; b = b + 1) begin : g_fmbank
                for (s = 0; s < NS; s = s + 1) begin : g_fmsub
                    integer j;
                    reg              we;
                    reg [PI-1:0]     be;
                    reg [SUB_AW-1:0] wa;
                    reg [FM_W-1:0]   wd;
                    wire             wr_buf = buf_sel == (x == 0);   // this buffer is the output, ~buf_sel
                    always @* begin
                        we = 1'b0;
                        be = {PI{1'b0}};
                        wa = {SUB_AW{1'b0}};
                        wd = {FM_W{1'b0}};
                        if (host_fm_we && host_fm_idx[FLAT_W-1] == x && bank_of(host_fm_idx) == b
                                && sub_of(host_fm_idx[BA_W-1:0]) == s) begin
                            we = 1'b1; be = {PI{1'b1}}; wa = sub_addr(host_fm_idx[BA_W-1:0]); wd = hw[FM_W-1:0];
                        end
                        if (wr_buf && bank_we[b] && sub_of(bank_addr[b*BA_W +: BA_W]) == s) begin
                            we = 1'b1; be = bank_be[b*PI +: PI]; wa = sub_addr(bank_addr[b*BA_W +: BA_W]);
                            wd = bank_data[b*PI*AW +: PI*AW];
                        end
                        if (wr_buf && pool_fm_we && pool_wr_bank == b && sub_of(pool_wr_addr[BA_W-1:0]) == s) begin
                            we = 1'b1; be = {PI{1'b1}}; wa = sub_addr(pool_wr_addr[BA_W-1:0]); wd = pool_fm_data;
                        end
                        for (j = 0; j < FM_WPB; j = j + 1)
                            if (dfm_we[j] && dfm_idx[j*FLAT_W + FLAT_W - 1] == x
                                    && bank_of(dfm_idx[j*FLAT_W +: FLAT_W]) == b
                                    && sub_of(dfm_idx[j*FLAT_W +: BA_W]) == s) begin
                                we = 1'b1; be = {PI{1'b1}}; wa = sub_addr(dfm_idx[j*FLAT_W +: BA_W]);
                                wd = dfm_wdata[j*FM_W +: FM_W];
                            end
                    end
                    lowbit_fm_ram #(.PI(PI), .AW(AW), .DEPTH(x == 0 ? SUB_D0 : SUB_D1), .ADDR_W(SUB_AW)) u_ram (.clk(clk), .we(we),
                        .be(be), .wa(wa), .wd(wd), .ra(fm_ra[(x*NS + s)*SUB_AW +: SUB_AW]),
                        .rd(fm_rd[((x*NB + b)*NS + s)*FM_W +: FM_W]));
`ifndef SYNTHESIS
                    /* verilator lint_off UNUSEDSIGNAL */ // 32-bit index arithmetic
                    wire [31:0] sim_i = ((x*NB + b) << BA_W) + {{(32-SUB_AW){1'b0}}, wa} * NS + s;
                    /* verilator lint_on UNUSEDSIGNAL */
                    for (l = 0; l < PI; l = l + 1) begin : g_sim_lane
                        always @(posedge clk) if (we && be[l]) fm[sim_i[FLAT_W-1:0]][l*AW +: AW] <= wd[l*AW +: AW];
                    end
`endif
                end
            end
        end
    endgenerate
    always @(posedge clk) if (pool_wr_en && pool_wide) rmem[pool_wr_seq[RES_AW-1:0]] <= pool_wr_data;

    // host reads: a feature-map word (lanes widened to OW bits, zero-extended) or a result word
    wire [FM_W-1:0]  host_fm = pick(host_rd_q);
    wire [PI*OW-1:0] host_fm_wide;
    generate
        for (l = 0; l < PI; l = l + 1) begin : g_host_lane
            assign host_fm_wide[l*OW +: OW] = {{(OW-AW){1'b0}}, host_fm[l*AW +: AW]};
        end
    endgenerate
    assign host_out_data = host_out_sel_q ? dres_rdata[0 +: RES_W] : host_fm_wide;
endmodule
