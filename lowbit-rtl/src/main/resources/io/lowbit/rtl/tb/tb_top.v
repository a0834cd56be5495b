`include "lowbit_params.vh"
// Runs one layer on the generated accelerator (lowbit_accel): loads csr.hex, imem.hex, wmem.hex, bmem.hex,
// fmin.hex through the host port (word counts from +n_csr= +n_imem= +n_wmem= +n_bmem= +n_fm=), starts, waits
// for done, reads +n_out= output words into fmout.hex and writes the cycle counters to cycles.txt.
module tb_top;
    localparam integer HOST_W = `LOWBIT_HOST_W;
    localparam integer OUT_W  = `LOWBIT_OUT_W;
    localparam integer OUT_AW = `LOWBIT_OUT_AW;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg               rst = 1'b1, start = 1'b0, host_we = 1'b0;
    reg  [2:0]        host_sel = 3'd0;
    reg  [31:0]       host_addr = 32'd0;
    reg  [HOST_W-1:0] host_wdata = {HOST_W{1'b0}};
    reg  [OUT_AW-1:0] host_out_addr = {OUT_AW{1'b0}};
    wire [OUT_W-1:0]  host_out_data;
    wire              busy, done, out_write;
    wire [31:0]       cycles, stream_cycles, stall_cycles;
    lowbit_accel dut (.clk(clk), .rst(rst), .start(start), .busy(busy), .done(done), .host_we(host_we),
        .host_sel(host_sel), .host_addr(host_addr), .host_wdata(host_wdata), .host_out_addr(host_out_addr),
        .host_out_data(host_out_data), .out_write(out_write), .cycles(cycles), .stream_cycles(stream_cycles),
        .stall_cycles(stall_cycles));

    reg [HOST_W-1:0] buffer [0:`LOWBIT_LOAD_DEPTH-1];
    integer n, i, fo, t, limit;
    integer last_write = -1;
    task load_mem(input [2:0] sel, input integer count);
        begin
            for (i = 0; i < count; i = i + 1) begin
                @(negedge clk);
                host_we = 1'b1; host_sel = sel; host_addr = i; host_wdata = buffer[i];
            end
            @(negedge clk);
            host_we = 1'b0;
        end
    endtask
    // cycle of the last output-map write, counted like the controller's cycle counter
    always @(posedge clk) if (out_write) last_write <= cycles;
    initial begin
        if (!$value$plusargs("limit=%d", limit)) limit = 100000000;
        repeat (2) @(negedge clk);
        rst = 1'b0;
        if (!$value$plusargs("n_csr=%d", n)) n = 0;
        if (n > 0) begin $readmemh("csr.hex", buffer, 0, n - 1); load_mem(3'd0, n); end
        if (!$value$plusargs("n_imem=%d", n)) n = 0;
        if (n > 0) begin $readmemh("imem.hex", buffer, 0, n - 1); load_mem(3'd1, n); end
        if (!$value$plusargs("n_wmem=%d", n)) n = 0;
        if (n > 0) begin $readmemh("wmem.hex", buffer, 0, n - 1); load_mem(3'd2, n); end
        if (!$value$plusargs("n_bmem=%d", n)) n = 0;
        if (n > 0) begin $readmemh("bmem.hex", buffer, 0, n - 1); load_mem(3'd3, n); end
        if (!$value$plusargs("n_fm=%d", n)) n = 0;
        if (n > 0) begin $readmemh("fmin.hex", buffer, 0, n - 1); load_mem(3'd4, n); end
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
        $fwrite(fo, "done %0d\ncycles %0d\nstream %0d\nstall %0d\nlast_write %0d\n", done, cycles, stream_cycles,
            stall_cycles, last_write);
        $fclose(fo);
        if (!$value$plusargs("n_out=%d", n)) n = 0;
        fo = $fopen("fmout.hex", "w");
        for (i = 0; i < n; i = i + 1) begin
            @(negedge clk);
            host_out_addr = i[OUT_AW-1:0];
            @(negedge clk);
            $fwrite(fo, "%h\n", host_out_data);
        end
        $fclose(fo);
        $finish;
    end
endmodule
