// Pool unit (docs/accelerator.md §2-4; integer semantics docs/integer-semantics.md §11-12, ReferenceEngine.maxPool
// and avgPool): max pool, average pool and global average pool (the window is the whole map) of one layer.
// Layout: the input-map layout of lowbit_accel_top for input and output: word = PI channel codes of one pixel
// (lane i = channel g*PI + i, lane 0 in the low bits), address (g*H + y)*W + x; the output (g*H_out + y)*W_out + x.
// With NB = 2^LB banks (lowbit_accel_top, lowbit_fm_writer) group g lives in bank g % NB at in-bank address
// (g / NB)*H*W + y*W + x, and the ports carry the flat address {bank, in-bank address}; NB = 1 is the plain layout.
// wr_seq is the output word's index in the plain layout (the accelerator's result memory).
// For every channel group g, output pixel (oy, ox) and window position (i, j), row-major, one word is read per
// cycle: kH*kW cycles per output word, all PI lanes at once, no bubbles between windows or groups.
// Pipeline (a = the cycle a position's address is issued; the cycle count is the simulator's
// ceil(C/PI)*H_out*W_out*kH*kW + POOL_STAGES with POOL_STAGES = 2, ScheduleTimer.poolStreamCycles):
//   a    address issued (padding positions: no real address, flagged);
//   a+1  the word arrives (synchronous read); compare (max) or add (avg) into the lane's running value;
//   a+2  the window's last position: its output word is written (avg: requantized on the way, combinationally).
// Max pool: padding is excluded (the running value starts below every code); avg: a padded position adds 0, the
// divisor is kH*kW always (it is inside M), y = clamp(Z_out + round(sum*M0 / 2^shift), lo, hi), round =
// ROUND_HALF_UP (or FLOOR), M0 in [2^30, 2^31 - 1], shift = 31 + n in [0, 62] (docs/integer-semantics.md §7-8).
// The constants are held by the host from start to done (like the accelerator's CSRs). `cycles` counts from the
// first cycle after start to the last output write, inclusive; `stream_cycles` the cycles an address was issued.
module lowbit_pool_unit #(
    parameter integer PI    = 4,
    parameter integer AW    = 8,     // input code width
    parameter integer OW    = AW,    // output code width: wider for a network's last pool (e.g. int16 logits)
    parameter integer SW    = 32,    // window-sum width: int32, as the spec bounds kH*kW*max|x - Z_in|
    parameter integer LB    = 0,     // log2 of the feature-map banks
    parameter integer BA_W  = 16,    // in-bank address bits
    parameter integer FM_AW = LB + BA_W  // flat feature-map address bits {bank, in-bank}
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 start,
    output wire                 busy,
    output reg                  done,
    input  wire                 avg,         // 0: max pool, 1: average pool
    input  wire                 in_signed,   // codes are two's complement (else unsigned)
    input  wire                 half_up,     // avg rounding: 1 ROUND_HALF_UP, 0 FLOOR
    input  wire [15:0]          k_h,
    input  wire [15:0]          k_w,
    input  wire [15:0]          s_h,
    input  wire [15:0]          s_w,
    input  wire [15:0]          pad_top,
    input  wire [15:0]          pad_left,
    input  wire [15:0]          h_in,
    input  wire [15:0]          w_in,
    input  wire [15:0]          h_out,
    input  wire [15:0]          w_out,
    input  wire [15:0]          groups,      // ceil(C / PI)
    input  wire signed [AW+1:0] z_in,
    input  wire signed [OW+1:0] z_out,
    input  wire signed [OW+1:0] lo,
    input  wire signed [OW+1:0] hi,
    input  wire [30:0]          m0,
    input  wire [5:0]           shift,
    output wire [FM_AW-1:0]     rd_addr,
    input  wire [PI*AW-1:0]     rd_data,     // the word at the previous cycle's rd_addr
    output reg                  wr_en,
    output wire [FM_AW-1:0]     wr_addr,
    output reg  [BA_W-1:0]      wr_seq,
    output wire [PI*OW-1:0]     wr_data,     // PI output codes, lane i = channel g*PI + i
    output reg  [31:0]          cycles,
    output reg  [31:0]          stream_cycles
);
    localparam integer PW = SW + 33;   // sum*M0 plus the rounding constant: |sum*M0| < 2^(SW+31)
    localparam integer GB = LB > 0 ? LB : 1;
    localparam [GB-1:0] LAST_BANK = (1 << LB) - 1;

    // ---- address walk (cycle a) ------------------------------------------------------------------------------
    reg               issuing, run;
    reg        [15:0] g, oy, ox, i, j;
    reg signed [31:0] iy0, ix0, iy, ix;            // window origin and current position, may be in the padding
    reg signed [31:0] grp_base, win_row, row_addr; // (g/NB)*H*W, grp_base + iy0*W, grp_base + iy*W
    reg     [GB-1:0]  gb;                          // g % NB
    wire signed [31:0] hw   = $signed({16'b0, h_in}) * $signed({16'b0, w_in});
    wire signed [31:0] shw  = $signed({16'b0, s_h}) * $signed({16'b0, w_in});
    wire signed [31:0] ptw  = $signed({16'b0, pad_top}) * $signed({16'b0, w_in});
    wire signed [31:0] hwo  = $signed({16'b0, h_out}) * $signed({16'b0, w_out});
    // the next group's plane base: a new plane after bank NB - 1
    wire signed [31:0] next_base = gb == LAST_BANK ? grp_base + hw : grp_base;
    wire signed [31:0] npt  = -$signed({16'b0, pad_top});
    wire signed [31:0] npl  = -$signed({16'b0, pad_left});
    wire last_j   = j == k_w - 16'd1;
    wire last_i   = i == k_h - 16'd1;
    wire last_ox  = ox == w_out - 16'd1;
    wire last_oy  = oy == h_out - 16'd1;
    wire last_g   = g == groups - 16'd1;
    wire in_map   = iy >= 0 && iy < $signed({16'b0, h_in}) && ix >= 0 && ix < $signed({16'b0, w_in});
    /* verilator lint_off UNUSEDSIGNAL */ // 32-bit address arithmetic; the host checks that the map fits FM_AW bits
    wire signed [31:0] addr = row_addr + ix;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (LB == 0) begin : g_flat
            assign rd_addr = addr[BA_W-1:0];
        end else begin : g_banked
            assign rd_addr = {gb[LB-1:0], addr[BA_W-1:0]};
        end
    endgenerate
    assign busy = run;

    always @(posedge clk) begin
        if (rst) begin
            issuing <= 1'b0;
        end else if (start && !run) begin
            issuing  <= 1'b1;
            g <= 16'd0; oy <= 16'd0; ox <= 16'd0; i <= 16'd0; j <= 16'd0;
            iy0 <= npt; iy <= npt; ix0 <= npl; ix <= npl;
            grp_base <= 32'sd0; win_row <= -ptw; row_addr <= -ptw; gb <= {GB{1'b0}};
        end else if (issuing) begin
            if (!last_j) begin
                j <= j + 16'd1; ix <= ix + 32'sd1;
            end else begin
                j <= 16'd0; ix <= ix0;
                if (!last_i) begin
                    i <= i + 16'd1; iy <= iy + 32'sd1; row_addr <= row_addr + $signed({16'b0, w_in});
                end else begin
                    i <= 16'd0;
                    if (!last_ox) begin                         // next window to the right
                        ox <= ox + 16'd1; ix0 <= ix0 + $signed({16'b0, s_w}); ix <= ix0 + $signed({16'b0, s_w});
                        iy <= iy0; row_addr <= win_row;
                    end else begin
                        ox <= 16'd0; ix0 <= npl; ix <= npl;
                        if (!last_oy) begin                     // next output row
                            oy <= oy + 16'd1; iy0 <= iy0 + $signed({16'b0, s_h}); iy <= iy0 + $signed({16'b0, s_h});
                            win_row <= win_row + shw; row_addr <= win_row + shw;
                        end else begin                          // next channel group, or done issuing
                            oy <= 16'd0; iy0 <= npt; iy <= npt;
                            g <= g + 16'd1; grp_base <= next_base;
                            gb <= gb == LAST_BANK ? {GB{1'b0}} : gb + {{(GB-1){1'b0}}, 1'b1};
                            win_row <= next_base - ptw; row_addr <= next_base - ptw;
                            if (last_g) issuing <= 1'b0;
                        end
                    end
                end
            end
        end
    end

    // ---- compare / add (cycle a+1) -----------------------------------------------------------------------------
    reg v_b, pad_b, first_b, last_b, final_b;
    always @(posedge clk) begin
        if (rst) begin
            v_b <= 1'b0;
        end else begin
            v_b     <= issuing;
            pad_b   <= !in_map;
            first_b <= i == 16'd0 && j == 16'd0;
            last_b  <= last_i && last_j;
            final_b <= last_i && last_j && last_ox && last_oy && last_g;
        end
    end

    localparam signed [SW-1:0] BELOW = -(1 <<< (AW + 1));   // below every AW-bit code, signed or not
    genvar l;
    generate
        for (l = 0; l < PI; l = l + 1) begin : g_lane
            wire        [AW-1:0]   code = rd_data[l*AW +: AW];
            wire signed [AW+1:0]   ext  = {{2{in_signed & code[AW-1]}}, code};
            wire signed [AW+1:0]   diff = ext - z_in;   // in [-2^AW + 1, 2^AW - 1]: exact in AW+2 bits
            wire signed [SW-1:0]   xv   = avg ? (pad_b ? {SW{1'b0}} : {{(SW-AW-2){diff[AW+1]}}, diff})
                                              : {{(SW-AW-2){ext[AW+1]}}, ext};
            reg  signed [SW-1:0]   cur;                 // the lane's running max or sum
            wire signed [SW-1:0]   base = first_b ? (avg ? {SW{1'b0}} : BELOW) : cur;
            wire signed [SW-1:0]   nxt  = avg ? base + xv : (!pad_b && xv > base) ? xv : base;
            always @(posedge clk) if (v_b) cur <= nxt;

            // ---- output (cycle a+2): max as is; avg requantized by the multiplier (§7-8) ----------------------
            wire signed [SW+31:0]  prod = cur * $signed({1'b0, m0});
            wire signed [PW-1:0]   half = (half_up && shift != 6'd0) ? ({{(PW-1){1'b0}}, 1'b1} << (shift - 6'd1))
                                                                      : {PW{1'b0}};
            wire signed [PW-1:0]   t    = {prod[SW+31], prod} + half;
            wire signed [PW-1:0]   q    = t >>> shift;
            wire signed [PW-1:0]   v    = q + {{(PW-OW-2){z_out[OW+1]}}, z_out};
            wire signed [PW-1:0]   lo_x = {{(PW-OW-2){lo[OW+1]}}, lo};
            wire signed [PW-1:0]   hi_x = {{(PW-OW-2){hi[OW+1]}}, hi};
            /* verilator lint_off UNUSEDSIGNAL */ // the clamp range and max's codes fit OW bits: the rest is sign
            wire        [PW-1:0]   c    = (v > hi_x) ? hi_x : (v < lo_x) ? lo_x : v;
            wire        [SW-1:0]   mx   = cur;
            /* verilator lint_on UNUSEDSIGNAL */
            assign wr_data[l*OW +: OW] = avg ? c[OW-1:0] : mx[OW-1:0];   // max: the code, sign- or zero-extended
        end
    endgenerate

    // ---- write and counters ------------------------------------------------------------------------------------
    // output position: group g's pixel wr_pix at in-bank wr_plane + wr_pix of bank wr_bank
    reg final_c;
    reg [31:0]   wr_pix, wr_plane;
    reg [GB-1:0] wr_bank;
    /* verilator lint_off UNUSEDSIGNAL */ // 32-bit address arithmetic, as above
    wire [31:0]  wr_in_bank = wr_plane + wr_pix;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (LB == 0) begin : g_wflat
            assign wr_addr = wr_in_bank[BA_W-1:0];
        end else begin : g_wbanked
            assign wr_addr = {wr_bank[LB-1:0], wr_in_bank[BA_W-1:0]};
        end
    endgenerate
    always @(posedge clk) begin
        if (rst) begin
            run <= 1'b0; done <= 1'b0; wr_en <= 1'b0; final_c <= 1'b0;
            cycles <= 32'd0; stream_cycles <= 32'd0;
        end else if (start && !run) begin
            run <= 1'b1; done <= 1'b0; wr_en <= 1'b0; final_c <= 1'b0;
            wr_seq <= {BA_W{1'b0}}; wr_pix <= 32'd0; wr_plane <= 32'd0; wr_bank <= {GB{1'b0}};
            cycles <= 32'd0; stream_cycles <= 32'd0;
        end else if (run) begin
            cycles  <= cycles + 32'd1;
            if (issuing) stream_cycles <= stream_cycles + 32'd1;
            wr_en   <= v_b && last_b;
            final_c <= v_b && final_b;
            if (wr_en) begin
                wr_seq <= wr_seq + {{(BA_W-1){1'b0}}, 1'b1};
                if (wr_pix == hwo - 32'd1) begin
                    wr_pix <= 32'd0;
                    wr_bank <= wr_bank == LAST_BANK ? {GB{1'b0}} : wr_bank + {{(GB-1){1'b0}}, 1'b1};
                    if (wr_bank == LAST_BANK) wr_plane <= wr_plane + hwo;
                end else begin
                    wr_pix <= wr_pix + 32'd1;
                end
            end
            if (wr_en && final_c) begin
                run <= 1'b0; done <= 1'b1; wr_en <= 1'b0;
            end
        end
    end
endmodule
