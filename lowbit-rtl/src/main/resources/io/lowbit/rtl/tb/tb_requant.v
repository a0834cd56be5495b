`include "lowbit_params.vh"
// Sweeps the shift requantizer: requant.in has one range per line, "shift half_up from to" (decimal; half_up 1 =
// ROUND_HALF_UP, 0 = FLOOR); every acc in [from, to] is applied and its code written to requant.out, one decimal
// per line. Clamp constants from +zp= +lo= +hi=.
module tb_requant;
    localparam integer ACCW = `LOWBIT_ACCW;
    localparam integer AW   = `LOWBIT_AW;
    reg  signed [ACCW-1:0] acc;
    reg  [4:0]             shift;
    reg                    half_up;
    reg  signed [AW+1:0]   zp, lo, hi;
    wire [AW-1:0]          y;
    lowbit_shift_requant #(.ACCW(ACCW), .OW(AW)) dut (.acc(acc), .shift(shift), .half_up(half_up),
        .zero_point(zp), .lo(lo), .hi(hi), .y(y));
    integer fi, fo, rc, s, h, zpi, loi, hii;
    reg signed [63:0] a, from, to;
    initial begin
        if (!$value$plusargs("zp=%d", zpi)) zpi = 0;
        if (!$value$plusargs("lo=%d", loi)) loi = 0;
        if (!$value$plusargs("hi=%d", hii)) hii = 127;
        zp = zpi[AW+1:0]; lo = loi[AW+1:0]; hi = hii[AW+1:0];
        fi = $fopen("requant.in", "r");
        fo = $fopen("requant.out", "w");
        while ($fscanf(fi, "%d %d %d %d", s, h, from, to) == 4) begin
            shift = s[4:0];
            half_up = h[0];
            for (a = from; a <= to; a = a + 64'sd1) begin
                acc = a[ACCW-1:0];
                #1;
                $fwrite(fo, "%0d\n", y);
            end
        end
        $fclose(fo);
        $finish;
    end
endmodule
