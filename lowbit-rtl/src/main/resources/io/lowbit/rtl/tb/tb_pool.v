`include "lowbit_params.vh"
// Runs one pool layer on lowbit_pool_unit: loads the constants (pool_csr.hex, 32-bit words, below) and the input
// map (fmin.hex, +n_fm= words of PI codes, the accelerator's input-map layout), starts, waits for done, writes the
// +n_out= output words to fmout.hex and the counters to cycles.txt (as tb_top). Output codes are OW = 2*AW bits
// wide, so one build serves 8-bit pools and a network's last pool with int16 outputs (the gap of NIN).
// pool_csr words: 0 avg, 1 in_signed, 2 half_up, 3 kH, 4 kW, 5 sH, 6 sW, 7 padTop, 8 padLeft, 9 H, 10 W, 11 H_out,
//                 12 W_out, 13 groups, 14 Z_in, 15 Z_out, 16 lo, 17 hi, 18 M0, 19 shift
module tb_pool;
    localparam integer PI    = `LOWBIT_PI;
    localparam integer AW    = `LOWBIT_AW;
    localparam integer OW    = 2 * AW;
    localparam integer DEPTH = `LOWBIT_FM_DEPTH;
    localparam integer FM_AW = $clog2(DEPTH);
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg rst = 1'b1, start = 1'b0;
    reg [31:0] csr [0:19];
    reg [PI*AW-1:0] fmin  [0:DEPTH-1];
    reg [PI*OW-1:0] fmout [0:DEPTH-1];
    reg [PI*AW-1:0] rd_data;
    wire [FM_AW-1:0] rd_addr, wr_addr;
    wire [PI*OW-1:0] wr_data;
    wire busy, done, wr_en;
    wire [31:0] cycles, stream_cycles;
    lowbit_pool_unit #(.PI(PI), .AW(AW), .OW(OW), .SW(`LOWBIT_POOL_SW), .LB(0), .BA_W(FM_AW)) dut (.clk(clk), .rst(rst),
        .start(start),
        .busy(busy), .done(done), .avg(csr[0][0]), .in_signed(csr[1][0]), .half_up(csr[2][0]),
        .k_h(csr[3][15:0]), .k_w(csr[4][15:0]), .s_h(csr[5][15:0]), .s_w(csr[6][15:0]), .pad_top(csr[7][15:0]),
        .pad_left(csr[8][15:0]), .h_in(csr[9][15:0]), .w_in(csr[10][15:0]), .h_out(csr[11][15:0]),
        .w_out(csr[12][15:0]), .groups(csr[13][15:0]), .z_in(csr[14][AW+1:0]), .z_out(csr[15][OW+1:0]),
        .lo(csr[16][OW+1:0]), .hi(csr[17][OW+1:0]), .m0(csr[18][30:0]), .shift(csr[19][5:0]),
        .rd_addr(rd_addr), .rd_data(rd_data), .wr_en(wr_en), .wr_addr(wr_addr), .wr_seq(), .wr_data(wr_data),
        .cycles(cycles), .stream_cycles(stream_cycles));

    // the feature-map memories: synchronous read, as in lowbit_accel_top
    always @(posedge clk) rd_data <= fmin[rd_addr];
    always @(posedge clk) if (wr_en) fmout[wr_addr] <= wr_data;
    integer last_write = -1;
    always @(posedge clk) if (wr_en) last_write <= cycles;

    integer n, i, fo, t, limit;
    initial begin
        if (!$value$plusargs("limit=%d", limit)) limit = 100000000;
        $readmemh("pool_csr.hex", csr);
        if (!$value$plusargs("n_fm=%d", n)) n = 0;
        if (n > 0) $readmemh("fmin.hex", fmin, 0, n - 1);
        repeat (2) @(negedge clk);
        rst = 1'b0;
        @(negedge clk);
        start = 1'b1;
        @(negedge clk);
        start = 1'b0;
        t = 0;
        while (!done && t < limit) begin
            @(negedge clk);
            t = t + 1;
        end
        fo = $fopen("cycles.txt", "w");
        $fwrite(fo, "done %0d\ncycles %0d\nstream %0d\nstall 0\nlast_write %0d\n", done, cycles, stream_cycles,
            last_write);
        $fclose(fo);
        if (!$value$plusargs("n_out=%d", n)) n = 0;
        fo = $fopen("fmout.hex", "w");
        for (i = 0; i < n; i = i + 1) $fwrite(fo, "%h\n", fmout[i]);
        $fclose(fo);
        $finish;
    end
endmodule
