`include "lowbit_params.vh"
// One RCA: rca.in holds T, K (weights to shift), N (pixels), then K weights in shift order, then N centred pixels
// (decimal). The weights are shifted in (K cycles), loaded with T, then one pixel per cycle is streamed; after
// the edge of stream cycle c, line c of rca.out holds every PE's partial sum (PES decimals).
module tb_rca;
    localparam integer PES  = `LOWBIT_PES;
    localparam integer AW   = `LOWBIT_AW;
    localparam integer WW   = `LOWBIT_WW;
    localparam integer ACCW = `LOWBIT_ACCW;
    localparam integer DW   = AW + 1;
    localparam integer TW   = $clog2(PES + 1);
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg                 shift_en = 1'b0, load = 1'b0, en = 1'b0;
    reg  [WW-1:0]       shift_in;
    reg  [TW-1:0]       taps;
    reg  signed [DW-1:0] x;
    wire [PES*ACCW-1:0] chain;
    wire [TW-1:0]       taps_q;
    lowbit_rca #(.PES(PES), .DW(DW), .WW(WW), .ACCW(ACCW), .TW(TW)) dut (.clk(clk), .shift_en(shift_en),
        .shift_in(shift_in), .load(load), .taps(taps), .en(en), .x(x), .chain(chain), .taps_q(taps_q));
    integer fi, fo, t, k, n, c, p, v, rc;
    initial begin
        fi = $fopen("rca.in", "r");
        fo = $fopen("rca.out", "w");
        rc = $fscanf(fi, "%d %d %d", t, k, n);
        taps = t[TW-1:0];
        for (c = 0; c < k; c = c + 1) begin
            rc = $fscanf(fi, "%d", v);
            @(negedge clk);
            shift_en = 1'b1; shift_in = v[WW-1:0];
        end
        @(negedge clk);
        shift_en = 1'b0; load = 1'b1;
        for (c = 0; c < n; c = c + 1) begin
            rc = $fscanf(fi, "%d", v);
            @(negedge clk);
            load = 1'b0; en = 1'b1; x = v[DW-1:0];
            @(posedge clk);
            #1;
            for (p = 0; p < PES; p = p + 1) $fwrite(fo, "%0d ", $signed(chain[p*ACCW +: ACCW]));
            $fwrite(fo, "\n");
        end
        $fclose(fo);
        $finish;
    end
endmodule
