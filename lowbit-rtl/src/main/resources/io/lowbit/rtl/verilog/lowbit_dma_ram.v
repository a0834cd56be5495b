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
    output reg  [WORD_W-1:0] rd_data
);
    localparam integer ROW_W = SLOT_W > BEAT_W ? SLOT_W : BEAT_W;
    localparam integer WPR   = ROW_W / SLOT_W;          // words per row
    localparam integer BPR   = ROW_W / BEAT_W;          // beats per row
    localparam integer LWPR  = $clog2(WPR);
    localparam integer LBPR  = $clog2(BPR);
    localparam integer ROWS  = (DEPTH + WPR - 1) / WPR;
    localparam integer RAW   = ROWS > 1 ? $clog2(ROWS) : 1;   // row address bits

    reg [ROW_W-1:0] mem [0:ROWS-1];

    // (one always block per slot and per beat part: Verilator keeps writes to different slices apart)
    genvar q;
    generate
        for (q = 0; q < BPR; q = q + 1) begin : g_beat
            /* verilator lint_off UNUSEDSIGNAL */ // the part bits of a beat index are its low bits; the images
            wire [KW-1:0] rowf = dma_beat >> LBPR;  // are checked to fit the bank (high bits zero)
            /* verilator lint_on UNUSEDSIGNAL */
            wire [RAW-1:0] row = rowf[RAW-1:0];
            if (BPR == 1) begin : g_whole
                always @(posedge clk) if (dma_we) mem[row] <= dma_data;
            end else begin : g_part
                always @(posedge clk)
                    if (dma_we && dma_beat[LBPR-1:0] == q) mem[row][q*BEAT_W +: BEAT_W] <= dma_data;
            end
        end
        for (q = 0; q < WPR; q = q + 1) begin : g_host
            /* verilator lint_off UNUSEDSIGNAL */ // as above
            wire [AW-1:0] rowf = host_addr >> LWPR;
            /* verilator lint_on UNUSEDSIGNAL */
            wire [RAW-1:0] row = rowf[RAW-1:0];
            if (WPR == 1) begin : g_whole
                always @(posedge clk) if (host_we) mem[row][WORD_W-1:0] <= host_data;
            end else begin : g_slot
                always @(posedge clk)
                    if (host_we && host_addr[LWPR-1:0] == q) mem[row][q*SLOT_W +: WORD_W] <= host_data;
            end
        end
    endgenerate

    /* verilator lint_off UNUSEDSIGNAL */ // the slot bits of a word address are its low bits
    wire [AW-1:0] rd_rowf = rd_addr >> LWPR;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [RAW-1:0] rd_row = rd_rowf[RAW-1:0];
    generate
        if (WPR == 1) begin : g_rd_whole
            always @(posedge clk) rd_data <= mem[rd_row][WORD_W-1:0];
        end else begin : g_rd_slot
            /* verilator lint_off UNUSEDSIGNAL */ // slot padding bits above WORD_W
            wire [ROW_W-1:0] r = mem[rd_row];
            /* verilator lint_on UNUSEDSIGNAL */
            always @(posedge clk) rd_data <= r[rd_addr[LWPR-1:0]*SLOT_W +: WORD_W];
        end
    endgenerate
endmodule
