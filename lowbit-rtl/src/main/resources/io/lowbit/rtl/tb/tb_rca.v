`include "lowbit_params.vh"
// One RCA with its codebook products and a chain (a module with PI = 1): rca.in holds T, K (weight indexes to
// shift), N (pixels), then the 2^IB codebook levels, K indexes in shift order, then N centred pixels (decimal).
// The indexes are shifted in (K cycles), loaded with T, then one pixel per cycle is streamed; after the edge of
// stream cycle c, line c of rca.out holds every PE's partial sum (PES decimals).
module tb_rca;
    localparam integer PES  = `LOWBIT_PES;
    localparam integer AW   = `LOWBIT_AW;
    localparam integer WW   = `LOWBIT_WW;
    localparam integer IB   = `LOWBIT_IB;
    localparam integer DW   = AW + 1;
    localparam integer PW   = DW + WW - 1;
    localparam integer CW   = PW + $clog2(PES);
    localparam integer NL   = 1 << IB;
    localparam integer TW   = $clog2(PES + 1);
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg                  shift_en = 1'b0, load = 1'b0, en = 1'b0;
    reg  [IB-1:0]        shift_in;
    reg  [TW-1:0]        taps;
    reg  [NL*WW-1:0]     levels;
    reg  signed [DW-1:0] x;
    wire [NL*PW-1:0]     prods;
    wire [PES*PW-1:0]    products;
    wire [PES*CW-1:0]    chain;
    wire [TW-1:0]        taps_q;
    lowbit_level_products #(.PI(1), .DW(DW), .WW(WW), .IB(IB), .PW(PW), .LUT(`LOWBIT_LUT_MUL)) u_prod (.x(x), .levels(levels),
        .prods(prods));
    lowbit_rca #(.PES(PES), .IB(IB), .PW(PW), .TW(TW)) dut (.clk(clk), .shift_en(shift_en),
        .shift_in(shift_in), .load(load), .taps(taps), .prods(prods), .products(products), .taps_q(taps_q));
    lowbit_chain #(.PES(PES), .SW(PW), .CW(CW), .TW(TW)) u_chain (.clk(clk), .en(en), .taps(taps_q),
        .terms(products), .chain(chain));
    integer fi, fo, t, k, n, c, p, v, rc;
    initial begin
        fi = $fopen("rca.in", "r");
        fo = $fopen("rca.out", "w");
        rc = $fscanf(fi, "%d %d %d", t, k, n);
        taps = t[TW-1:0];
        for (c = 0; c < NL; c = c + 1) begin
            rc = $fscanf(fi, "%d", v);
            levels[c*WW +: WW] = v[WW-1:0];
        end
        for (c = 0; c < k; c = c + 1) begin
            rc = $fscanf(fi, "%d", v);
            @(negedge clk);
            shift_en = 1'b1; shift_in = v[IB-1:0];
        end
        @(negedge clk);
        shift_en = 1'b0; load = 1'b1;
        for (c = 0; c < n; c = c + 1) begin
            rc = $fscanf(fi, "%d", v);
            @(negedge clk);
            load = 1'b0; en = 1'b1; x = v[DW-1:0];
            @(posedge clk);
            #1;
            for (p = 0; p < PES; p = p + 1) $fwrite(fo, "%0d ", $signed(chain[p*CW +: CW]));
            $fwrite(fo, "\n");
        end
        $fclose(fo);
        $finish;
    end
endmodule
