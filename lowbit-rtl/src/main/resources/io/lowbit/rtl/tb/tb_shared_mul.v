`include "lowbit_params.vh"
// Every centred input x (|x| <= 2^(DW-1) - 1) times every combination of PACK weights through lowbit_shared_mul
// (one packed multiplication when PACK > 1), against the products computed directly. One instance per value of
// weight 0 runs in parallel; the loop walks x and the other weights. Writes shared_mul.out:
// "checked N errors E" and, on errors, the first wrong product.
module tb_shared_mul;
    localparam integer DW = `LOWBIT_AW + 1;
    localparam integer WW = `LOWBIT_WW;
    localparam integer K  = `LOWBIT_PACK;
    localparam integer PW = DW + WW - 1;
    localparam integer NW = 1 << WW;
    localparam integer UW = K > 1 ? (K - 1) * WW : 1;
    reg  [DW-1:0]      x;
    reg  [UW-1:0]      upper;      // weights 1 .. K-1
    wire [NW*K*PW-1:0] p;
    genvar v;
    generate
        for (v = 0; v < NW; v = v + 1) begin : g_dut
            localparam [WW-1:0] W0 = v;
            wire [K*WW-1:0] w;
            if (K > 1) begin : g_more
                assign w = {upper, W0};
            end else begin : g_one
                assign w = W0;
            end
            lowbit_shared_mul #(.DW(DW), .WW(WW), .K(K), .PACK(K > 1 ? 1 : 0), .PW(PW),
                .LUT(`LOWBIT_LUT_MUL)) dut (.x(x), .w(w),
                .p(p[v*K*PW +: K*PW]));
        end
    endgenerate

    integer fd, xi, u, vv, k, wk, want, got, errors;
    reg [63:0] checked;
    initial begin
        errors = 0;
        checked = 0;
        fd = $fopen("shared_mul.out", "w");
        for (u = 0; u < (1 << (UW * (K > 1 ? 1 : 0))); u = u + 1) begin
            for (xi = -(1 << (DW - 1)) + 1; xi < (1 << (DW - 1)); xi = xi + 1) begin
                x = xi[DW-1:0];
                upper = u[UW-1:0];
                #1;
                for (vv = 0; vv < NW; vv = vv + 1) begin
                    for (k = 0; k < K; k = k + 1) begin
                        wk = k == 0 ? vv : (u >> ((k - 1) * WW)) & (NW - 1);
                        if (wk >= NW / 2) wk = wk - NW;
                        want = xi * wk;
                        got = $signed(p[(vv*K + k)*PW +: PW]);
                        checked = checked + 1;
                        if (got != want) begin
                            if (errors == 0) $fwrite(fd, "first error: x=%0d w%0d=%0d product %0d expected %0d\n",
                                xi, k, wk, got, want);
                            errors = errors + 1;
                        end
                    end
                end
            end
        end
        $fwrite(fd, "checked %0d errors %0d\n", checked, errors);
        $fclose(fd);
        $finish;
    end
endmodule
