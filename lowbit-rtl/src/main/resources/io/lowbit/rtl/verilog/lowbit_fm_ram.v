// One feature-map memory (docs/rtl.md §1, "Feature-map buffers"): a sub-bank of a bank of a buffer, DEPTH words of
// PI lanes of AW bits, with exactly one write port (lane enables) and one synchronous read port, so that Yosys
// (synth_xilinx) infers a simple-dual-port block RAM with byte-wide write enables. lowbit_accel_top muxes its
// writers (DMA, pool, conv writer, host) onto the write port and its readers (unit, DMA, host) onto the read port.
// (One always block per lane, all with the same address: Yosys merges them into one write port with lane
// enables, and Verilator keeps the lanes apart.)
module lowbit_fm_ram #(
    parameter integer PI    = 4,
    parameter integer AW    = 8,
    parameter integer DEPTH = 1024,
    parameter integer ADDR_W = 10
) (
    input  wire                clk,
    input  wire                we,
    input  wire [PI-1:0]       be,
    input  wire [ADDR_W-1:0]   wa,
    input  wire [PI*AW-1:0]    wd,
    /* verilator lint_off UNUSEDSIGNAL */ // the address bits above DEPTH: the smaller of two unequal buffers
    input  wire [ADDR_W-1:0]   ra,
    /* verilator lint_on UNUSEDSIGNAL */
    output reg  [PI*AW-1:0]    rd
);
    localparam integer MA = DEPTH > 1 ? $clog2(DEPTH) : 1;   // <= ADDR_W
    reg [PI*AW-1:0] mem [0:DEPTH-1];
    // a write beyond DEPTH (the host's zero gaps between the banks of the smaller of two unequal buffers; ADDR_W
    // is the larger buffer's) is dropped, not aliased onto a word below DEPTH
    wire [31:0] wa32 = {{(32-ADDR_W){1'b0}}, wa};    // ADDR_W < 32
    wire in_range = wa32 < DEPTH;
    genvar l;
    generate
        for (l = 0; l < PI; l = l + 1) begin : g_lane
            always @(posedge clk) if (we && be[l] && in_range) mem[wa[MA-1:0]][l*AW +: AW] <= wd[l*AW +: AW];
        end
    endgenerate
    always @(posedge clk) rd <= mem[ra[MA-1:0]];
endmodule
