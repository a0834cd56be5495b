`include "lowbit_params.vh"
// Runs a program on the generated accelerator (lowbit_accel): loads desc.hex (layer descriptors), imem.hex,
// dq.hex (the DMA queue), wmem.hex, bmem.hex (weight and bias bank 0, runs without DMA) and fmin.hex (feature-map
// buffer 0, flat indices from 0) through the host port (word counts from +n_desc= +n_imem= +n_dq= +n_wmem=
// +n_bmem= +n_fm=), sets the program length (+n_prog=), starts and waits for done.
// DRAM model: a behavioural memory of `LOWBIT_BEAT_W-bit beats, dram.hex (+n_dram= beats) at beat 0; a burst
// requested in cycle s gets its beats in cycles s + L, s + L + 1, ... (L = +dram_latency=, >= 1): the first after
// the latency, then one per cycle. After done, beats +out_dram= .. + +n_out_dram= - 1 go to dramout.hex.
// cycles.txt: one line per finished conv layer or pool ("layer k cycles c stream s stall t last_write w wait v
// store_wait u", the unit's own counters; v: cycles waiting for the weight bank or DRAM rows, u: cycles after the
// drain waiting for a staged output's store_rows), one per DMA transfer ("dma k start s end e",
// program cycles: the transfer occupies s .. e - 1), then done, total (the whole program's cycles) and the last
// layer's counters again as "cycles/stream/stall/last_write" lines. Output: with +out_sel=0 the words
// 0 .. +out_bank_words= - 1 of every bank of buffer +out_buf= (bank-major) go to fmout.hex; with +out_sel=1 the
// first +n_out= words of the result memory.
// +dump_layers=1 also writes the output buffer of layer k (every bank, +out_bank_words= words each) to
// layer<k>.hex when it finishes (it reads the top's simulation-only flat copy fm hierarchically; lanes widened to
// 2*AW bits like the host port's, so that both dumps decode alike).
module tb_top;
    localparam integer HOST_W = `LOWBIT_HOST_W;
    localparam integer RES_W  = `LOWBIT_RES_W;
    localparam integer NB     = 1 << `LOWBIT_FM_LB;
    localparam integer BD     = 1 << `LOWBIT_FM_BA_W;
    localparam integer PI     = `LOWBIT_PI;
    localparam integer AW     = `LOWBIT_AW;
    localparam integer BEAT_W = `LOWBIT_BEAT_W;
    localparam integer DRAM_BEATS = 1 << 21;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg               rst = 1'b1, start = 1'b0, host_we = 1'b0, host_out_sel = 1'b0;
    reg  [2:0]        host_sel = 3'd0;
    reg  [31:0]       host_addr = 32'd0;
    reg  [HOST_W-1:0] host_wdata = {HOST_W{1'b0}};
    reg  [31:0]       host_out_addr = 32'd0;
    wire [RES_W-1:0]  host_out_data;
    wire              busy, done, out_write, layer_done;
    wire [31:0]       cycles, stream_cycles, stall_cycles, wait_cycles, total_cycles;
    wire              dram_req, dram_we, dma_issue, dma_finish;
    wire [31:0]       dram_addr, dram_len;
    wire [BEAT_W-1:0] dram_rdata, dram_wdata;
    wire              dram_beat;
    lowbit_accel dut (.clk(clk), .rst(rst), .start(start), .busy(busy), .done(done), .host_we(host_we),
        .host_sel(host_sel), .host_addr(host_addr), .host_wdata(host_wdata), .host_out_sel(host_out_sel),
        .host_out_addr(host_out_addr), .host_out_data(host_out_data), .out_write(out_write),
        .layer_done(layer_done), .cycles(cycles), .stream_cycles(stream_cycles), .stall_cycles(stall_cycles),
        .wait_cycles(wait_cycles), .total_cycles(total_cycles), .dram_req(dram_req), .dram_we(dram_we),
        .dram_addr(dram_addr), .dram_len(dram_len), .dram_beat(dram_beat), .dram_rdata(dram_rdata),
        .dram_wdata(dram_wdata), .dma_issue(dma_issue), .dma_finish(dma_finish));

    // ---- DRAM: one burst at a time (the DMA engine is serial) ------------------------------------------------------
    reg [BEAT_W-1:0] dram [0:DRAM_BEATS-1];
    reg              d_act = 1'b0, d_we = 1'b0;
    reg [31:0]       d_wait = 0, d_left = 0, d_addr = 0;
    integer          latency, ndma, dma_start;
    assign dram_beat  = d_act && d_wait == 0;
    assign dram_rdata = dram[d_addr[20:0]];
    always @(posedge clk) begin
        if (dram_req) begin
            if (d_act) $display("tb_top: DRAM request during a burst");
            d_act <= 1'b1; d_we <= dram_we; d_addr <= dram_addr; d_left <= dram_len; d_wait <= latency - 1;
        end else if (d_act) begin
            if (d_wait != 0) begin
                d_wait <= d_wait - 1;
            end else begin
                if (d_we) dram[d_addr[20:0]] <= dram_wdata;
                d_addr <= d_addr + 1;
                d_left <= d_left - 1;
                if (d_left == 1) d_act <= 1'b0;
            end
        end
    end
    // one line per transfer, in program cycles (total_cycles is c in cycle c)
    always @(posedge clk) begin
        if (dma_issue) dma_start <= total_cycles;
        if (dma_finish) begin
            $fwrite(fc, "dma %0d start %0d end %0d\n", ndma, dma_issue ? total_cycles : dma_start, total_cycles + 1);
            ndma = ndma + 1;
        end
    end

    reg [HOST_W-1:0] buffer [0:`LOWBIT_LOAD_DEPTH-1];
    integer n, i, b, db, dn, fo, fc, fl, t, limit, layers, dump, words, obuf;
    integer last_write = -1;
    // a feature-map word with its lanes zero-extended to 2*AW bits (the host read port's format)
    function [RES_W-1:0] widen(input [PI*AW-1:0] w);
        integer wl;
        begin
            widen = {RES_W{1'b0}};
            for (wl = 0; wl < PI; wl = wl + 1) widen[wl*2*AW +: AW] = w[wl*AW +: AW];
        end
    endfunction
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
    // cycle of the last output write, counted like the running unit's cycle counter
    always @(posedge clk) if (out_write) last_write <= cycles;
    // per-layer counters (and, with +dump_layers=1, the layer's output buffer)
    always @(posedge clk) begin
        if (layer_done) begin
            $fwrite(fc, "layer %0d cycles %0d stream %0d stall %0d last_write %0d wait %0d store_wait %0d\n", layers,
                cycles, stream_cycles, stall_cycles, last_write, dut.u_top.pool_active ? 0 : wait_cycles,
                dut.u_top.pool_active ? 0 : dut.u_top.store_wait_cycles);
            if (dump != 0) begin
                fl = $fopen($sformatf("layer%0d.hex", layers), "w");
                for (db = 0; db < NB; db = db + 1)
                    for (dn = 0; dn < words; dn = dn + 1)
                        $fwrite(fl, "%h\n", widen(dut.u_top.fm[((dut.u_top.buf_sel ? 0 : 1) * NB + db) * BD + dn]));
                $fclose(fl);
            end
            layers = layers + 1;
        end
    end
    initial begin
        if (!$value$plusargs("limit=%d", limit)) limit = 100000000;
        if (!$value$plusargs("dump_layers=%d", dump)) dump = 0;
        if (!$value$plusargs("out_bank_words=%d", words)) words = 0;
        if (!$value$plusargs("dram_latency=%d", latency)) latency = 1;
        layers = 0;
        ndma = 0;
        fc = $fopen("cycles.txt", "w");
        repeat (2) @(negedge clk);
        rst = 1'b0;
        if (!$value$plusargs("n_desc=%d", n)) n = 0;
        if (n > 0) begin $readmemh("desc.hex", buffer, 0, n - 1); load_mem(3'd5, n); end
        if (!$value$plusargs("n_imem=%d", n)) n = 0;
        if (n > 0) begin $readmemh("imem.hex", buffer, 0, n - 1); load_mem(3'd1, n); end
        if (!$value$plusargs("n_wmem=%d", n)) n = 0;
        if (n > 0) begin $readmemh("wmem.hex", buffer, 0, n - 1); load_mem(3'd2, n); end
        if (!$value$plusargs("n_bmem=%d", n)) n = 0;
        if (n > 0) begin $readmemh("bmem.hex", buffer, 0, n - 1); load_mem(3'd3, n); end
        if (!$value$plusargs("n_fm=%d", n)) n = 0;
        if (n > 0) begin $readmemh("fmin.hex", buffer, 0, n - 1); load_mem(3'd4, n); end
        if (!$value$plusargs("n_dq=%d", n)) n = 0;
        if (n > 0) begin $readmemh("dq.hex", buffer, 0, n - 1); load_mem(3'd7, n); end
        if (!$value$plusargs("n_dram=%d", n)) n = 0;
        if (n > 0) $readmemh("dram.hex", dram, 0, n - 1);
        if (!$value$plusargs("n_prog=%d", n)) n = 0;
        buffer[0] = n;
        if (!$value$plusargs("n_dq=%d", n)) n = 0;
        buffer[0][31:16] = n[15:0];
        load_mem(3'd6, 1);
        @(negedge clk);
        start = 1'b1;
        @(negedge clk);
        start = 1'b0;
        t = 0;
        while (!done && t < limit) begin
            @(negedge clk);
            t = t + 1;
        end
        $fwrite(fc, "done %0d\ntotal %0d\ncycles %0d\nstream %0d\nstall %0d\nlast_write %0d\n", done, total_cycles,
            cycles, stream_cycles, stall_cycles, last_write);
        $fclose(fc);
        fo = $fopen("fmout.hex", "w");
        if (!$value$plusargs("out_sel=%d", n)) n = 0;
        if (n == 0) begin
            if (!$value$plusargs("out_buf=%d", obuf)) obuf = 0;
            for (b = 0; b < NB; b = b + 1)
                for (i = 0; i < words; i = i + 1) begin
                    @(negedge clk);
                    host_out_sel = 1'b0;
                    host_out_addr = (obuf * NB + b) * BD + i;
                    @(negedge clk);
                    $fwrite(fo, "%h\n", host_out_data);
                end
        end else begin
            if (!$value$plusargs("n_out=%d", n)) n = 0;
            for (i = 0; i < n; i = i + 1) begin
                @(negedge clk);
                host_out_sel = 1'b1;
                host_out_addr = i;
                @(negedge clk);
                $fwrite(fo, "%h\n", host_out_data);
            end
        end
        $fclose(fo);
        if (!$value$plusargs("n_out_dram=%d", n)) n = 0;
        if (n > 0) begin
            if (!$value$plusargs("out_dram=%d", b)) b = 0;
            fo = $fopen("dramout.hex", "w");
            for (i = 0; i < n; i = i + 1) $fwrite(fo, "%h\n", dram[b + i]);
            $fclose(fo);
        end
        $finish;
    end
endmodule
