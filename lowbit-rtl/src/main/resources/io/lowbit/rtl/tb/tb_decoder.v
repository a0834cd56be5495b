`include "lowbit_params.vh"
// The codebook decoder for every index, levels from decoder.in (one hex level per line); writes decoder.out.
module tb_decoder;
    localparam integer IB = `LOWBIT_IB;
    localparam integer WW = `LOWBIT_WW;
    reg  [WW-1:0]          lv [0:(1<<IB)-1];
    reg  [(1<<IB)*WW-1:0]  levels;
    reg  [IB-1:0]          index;
    wire [WW-1:0]          weight;
    lowbit_weight_decoder #(.IB(IB), .WW(WW)) dut (.levels(levels), .index(index), .weight(weight));
    integer fd, e;
    initial begin
        $readmemh("decoder.in", lv);
        for (e = 0; e < (1 << IB); e = e + 1) levels[e*WW +: WW] = lv[e];
        fd = $fopen("decoder.out", "w");
        for (e = 0; e < (1 << IB); e = e + 1) begin
            index = e[IB-1:0];
            #1;
            $fwrite(fd, "%0d\n", $signed(weight));
        end
        $fclose(fd);
        $finish;
    end
endmodule
