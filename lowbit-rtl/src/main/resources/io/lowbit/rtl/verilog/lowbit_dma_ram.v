// A memory written in DMA beats and read in words (a weight or bias bank, docs/rtl.md §1-2): words of WORD_W bits
// travel in slots of SLOT_W bits (a power of two >= WORD_W), so that a DRAM beat of BEAT_W bits (a power of two)
// holds BEAT_W/SLOT_W whole words, or a word spans SLOT_W/BEAT_W beats. Slots narrower than a beat: the storage is
// rows of BEAT_W bits, beat k writes row k and word a is slot a % (words per row) of row a / (words per row). Slots
// as wide as a beat or wider: a row is one word of WORD_W bits, without the slot's padding (a 96-bit word is
// stored in 96 bits, not 128: the bank holds as many words as its bytes allow), beat k writes part k % (beats per
// slot) of row k / (beats per slot), and the parts beyond the word are dropped. The host port writes single
// words (the single-layer runs preload bank 0 without DMA). Reads are synchronous (block RAM): rd_data is the
// word at rd_addr of the last edge.
module lowbit_dma_ram #(
    parameter integer WORD_W = 32,
    parameter integer SLOT_W = 32,
    parameter integer BEAT_W = 64,
    parameter integer DEPTH  = 1024,     // words
    parameter integer AW     = 10,       // word address bits
    parameter integer KW     = 16        // beat index bits
) (
    input  wire              clk,
    input  wire              host_we,
    input  wire [AW-1:0]     host_addr,
    input  wire [WORD_W-1:0] host_data,
    input  wire              dma_we,
    input  wire [KW-1:0]     dma_beat,
    /* verilator lint_off UNUSEDSIGNAL */ // a word narrower than its beat-wide slot: the padding bits
    input  wire [BEAT_W-1:0] dma_data,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [AW-1:0]     rd_addr,
    output wire [WORD_W-1:0] rd_data
);
    localparam integer WHOLE = SLOT_W >= BEAT_W ? 1 : 0;     // a row is one word
    localparam integer ROW_W = WHOLE == 1 ? WORD_W : BEAT_W;
    localparam integer WPR   = WHOLE == 1 ? 1 : BEAT_W / SLOT_W;  // words per row
    localparam integer BPW   = WHOLE == 1 ? SLOT_W / BEAT_W : 1;  // beats per row
    localparam integer LWPR  = $clog2(WPR);
    localparam integer LBPW  = $clog2(BPW);
    localparam integer ROWS  = (DEPTH + WPR - 1) / WPR;
    localparam integer RAW   = ROWS > 1 ? $clog2(ROWS) : 1;   // row address bits

    reg [ROW_W-1:0] mem [0:ROWS-1];

    // One write port (block RAM): the DMA's beat or the host's word, with a write enable per part. (One always block
    // per part, all with the same row address: Yosys merges them into one port with part enables, Verilator keeps
    // the parts apart.)
    /* verilator lint_off UNUSEDSIGNAL */ // the part bits of a beat index and of a word address are their low
    wire [KW-1:0] dma_rowf  = dma_beat >> LBPW;    // bits; the images are checked to fit the bank (high bits zero)
    wire [AW-1:0] host_rowf = host_addr >> LWPR;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [RAW-1:0] wrow = dma_we ? dma_rowf[RAW-1:0] : host_rowf[RAW-1:0];
    genvar q;
    generate
        if (WHOLE == 1) begin : g_whole
            // part q: bits [q*BEAT_W, min((q+1)*BEAT_W, WORD_W)) from beat q of the word's slot; the host writes all
            localparam integer NPW = (WORD_W + BEAT_W - 1) / BEAT_W;
            /* verilator lint_off UNUSEDSIGNAL */
            wire [31:0] dma_part = BPW == 1 ? 32'd0 : {{(32-KW){1'b0}}, dma_beat} & (BPW - 1);
            /* verilator lint_on UNUSEDSIGNAL */
            for (q = 0; q < NPW; q = q + 1) begin : g_part
                localparam integer LO = q * BEAT_W;
                localparam integer PW = WORD_W - LO < BEAT_W ? WORD_W - LO : BEAT_W;
                wire pe = dma_we ? dma_part == q : host_we;
                wire [PW-1:0] pd = dma_we ? dma_data[PW-1:0] : host_data[LO +: PW];
                always @(posedge clk) if (pe) mem[wrow][LO +: PW] <= pd;
            end
        end else begin : g_rows
            // parts of SLOT_W bits: a beat writes the whole row, the host one slot (its padding bits as zeros: they
            // are never read)
            /* verilator lint_off UNUSEDSIGNAL */
            wire [31:0] host_part = {{(32-AW){1'b0}}, host_addr} & (WPR - 1);
            /* verilator lint_on UNUSEDSIGNAL */
            wire [SLOT_W-1:0] host_slot;
            assign host_slot[WORD_W-1:0] = host_data;
            if (SLOT_W > WORD_W) begin : g_pad
                assign host_slot[SLOT_W-1:WORD_W] = {(SLOT_W-WORD_W){1'b0}};
            end
            wire [ROW_W-1:0] wdata = dma_we ? dma_data : {WPR{host_slot}};
            for (q = 0; q < WPR; q = q + 1) begin : g_part
                wire pe = dma_we || (host_we && host_part == q);
                always @(posedge clk) if (pe) mem[wrow][q*SLOT_W +: SLOT_W] <= wdata[q*SLOT_W +: SLOT_W];
            end
        end
    endgenerate

    /* verilator lint_off UNUSEDSIGNAL */ // the slot bits of a word address are its low bits
    wire [AW-1:0] rd_rowf = rd_addr >> LWPR;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [RAW-1:0] rd_row = rd_rowf[RAW-1:0];
    // the row is registered straight out of the memory (a block RAM's output register) and the word selected
    // after it by the registered slot index: a select between memory and register would keep Yosys from mapping
    // the read port to block RAM
    /* verilator lint_off UNUSEDSIGNAL */ // slot padding bits above WORD_W
    reg [ROW_W-1:0] rd_q;
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) rd_q <= mem[rd_row];
    generate
        if (WPR == 1) begin : g_rd_whole
            assign rd_data = rd_q[WORD_W-1:0];
        end else begin : g_rd_slot
            reg [LWPR-1:0] rd_slot;
            always @(posedge clk) rd_slot <= rd_addr[LWPR-1:0];
            assign rd_data = rd_q[rd_slot*SLOT_W +: WORD_W];
        end
    endgenerate
endmodule
