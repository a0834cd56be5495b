// A memory written in DMA beats and read in words (a weight or bias bank, docs/rtl.md §1-2): words of WORD_W bits
// sit in slots of SLOT_W bits (a power of two >= WORD_W), so that a DRAM beat of BEAT_W bits (a power of two)
// holds BEAT_W/SLOT_W whole words, or a word spans SLOT_W/BEAT_W beats. The storage is rows of
// max(SLOT_W, BEAT_W) bits: beat k writes row k / (beats per row), part k % (beats per row); word a is slot
// a % (words per row) of row a / (words per row). The host port writes single words (the single-layer runs
// preload bank 0 without DMA). Reads are synchronous (block RAM): rd_data is the word at rd_addr of the last edge.
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
    input  wire [BEAT_W-1:0] dma_data,
    input  wire [AW-1:0]     rd_addr,
    output wire [WORD_W-1:0] rd_data
);
    localparam integer ROW_W = SLOT_W > BEAT_W ? SLOT_W : BEAT_W;
    localparam integer WPR   = ROW_W / SLOT_W;          // words per row
    localparam integer BPR   = ROW_W / BEAT_W;          // beats per row
    localparam integer LWPR  = $clog2(WPR);
    localparam integer LBPR  = $clog2(BPR);
    localparam integer ROWS  = (DEPTH + WPR - 1) / WPR;
    localparam integer RAW   = ROWS > 1 ? $clog2(ROWS) : 1;   // row address bits

    reg [ROW_W-1:0] mem [0:ROWS-1];

    // One write port (block RAM): the DMA's beat or the host's word, in parts of G = min(SLOT_W, BEAT_W) bits with
    // a write enable per part (a beat is BEAT_W/G parts, a slot SLOT_W/G). The host writes a whole slot (its
    // padding bits as zeros: they are never read). (One always block per part, all with the same row address:
    // Yosys merges them into one port with part enables, Verilator keeps the parts apart.)
    localparam integer G    = SLOT_W < BEAT_W ? SLOT_W : BEAT_W;
    localparam integer NP   = ROW_W / G;
    localparam integer BP   = BEAT_W / G;         // parts of a beat
    localparam integer SP   = SLOT_W / G;         // parts of a slot
    /* verilator lint_off UNUSEDSIGNAL */ // the part bits of a beat index and of a word address are their low
    wire [KW-1:0] dma_rowf  = dma_beat >> LBPR;    // bits; the images are checked to fit the bank (high bits zero)
    wire [AW-1:0] host_rowf = host_addr >> LWPR;
    wire [31:0]   dma_part  = BPR == 1 ? 32'd0 : ({{(32-KW){1'b0}}, dma_beat} & (BPR - 1)) * BP;
    wire [31:0]   host_part = WPR == 1 ? 32'd0 : ({{(32-AW){1'b0}}, host_addr} & (WPR - 1)) * SP;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [RAW-1:0]   wrow  = dma_we ? dma_rowf[RAW-1:0] : host_rowf[RAW-1:0];
    wire [SLOT_W-1:0] host_slot;
    wire [ROW_W-1:0]  wdata = dma_we ? {BPR{dma_data}} : {WPR{host_slot}};
    genvar q;
    generate
        assign host_slot[WORD_W-1:0] = host_data;
        if (SLOT_W > WORD_W) begin : g_pad
            assign host_slot[SLOT_W-1:WORD_W] = {(SLOT_W-WORD_W){1'b0}};
        end
        for (q = 0; q < NP; q = q + 1) begin : g_part
            wire pe = dma_we ? (q >= dma_part && q < dma_part + BP) : (host_we && q >= host_part && q < host_part + SP);
            always @(posedge clk) if (pe) mem[wrow][q*G +: G] <= wdata[q*G +: G];
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
