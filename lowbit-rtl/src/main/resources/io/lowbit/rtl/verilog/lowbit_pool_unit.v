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
//   a+2  the window's last position: its output word is written (avg: shifted and clamped on the way).
// Max pool: padding is excluded (the running value starts below every code); avg: a padded position adds 0, the
// divisor is kH*kW always (it is inside M), y = clamp(Z_out + round(sum*M0 / 2^shift), lo, hi), round =
// ROUND_HALF_UP (or FLOOR), M0 in [2^30, 2^31 - 1], shift = 31 + n in [0, 62] (docs/integer-semantics.md §7-8).
// The average is requantized by accumulating products, not sums: sum*M0 = sum over the window of (x - Z_in)*M0,
// so each lane multiplies its new term by M0 in the compare/add cycle (a+1, a 10 x 31-bit product) and adds it to
// a running product that starts at the rounding constant 2^(shift-1) (or 0); at a+2 only the shift and the clamp
// remain (no multiplier, no wide rounding add in the write cycle). Exact: the same integer sum*M0 + half. With
// window sums bounded by |sum| < 2^(SW-1) (the host checks kH*kW*max|x - Z_in|; SW = 20 holds every window up
// to 2,048 positions of 8-bit codes), |sum*M0| < 2^(SW+30) = 2^(B-1), B = SW + 31, so the running product fits
// AB = B + 1 bits, and a shift beyond B gives what a shift of B gives (0 or -1 for FLOOR from B - 1 on, 0 for
// ROUND_HALF_UP from B on): the unit shifts by min(shift, B).
// The constants are held by the host from start to done (like the accelerator's CSRs). `cycles` counts from the
// first cycle after start to the last output write, inclusive; `stream_cycles` the cycles an address was issued.
module lowbit_pool_unit #(
    parameter integer PI    = 4,
    parameter integer AW    = 8,     // input code width
    parameter integer OW    = AW,    // output code width: wider for a network's last pool (e.g. int16 logits)
    parameter integer SW    = 20,    // window-sum bits: the host guarantees kH*kW*max|x - Z_in| < 2^(SW-1)
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
    localparam integer B  = SW + 31;   // |sum*M0| < 2^(B-1)
    localparam integer AB = B + 1;     // the running product sum*M0 + 2^(shift-1), shift <= B
    localparam integer CW = OW + 3;    // lo - Z_out, hi - Z_out
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

    // ---- the layer's requantizer constants, registered (the ports are held from start to done; the first use is
    // at a+1 of the first position, two cycles after start) ------------------------------------------------------
    reg        [5:0]    sh;        // min(shift, B)
    reg signed [AB-1:0] half;      // 2^(sh-1) for ROUND_HALF_UP, else 0
    reg signed [CW-1:0] lo_z, hi_z;// the clamp range less Z_out: clamp(q + Z_out) = clamp(q, lo_z, hi_z) + Z_out
    wire       [5:0]    sh_next;
    generate
        if (B >= 62) begin : g_sh_all      // SW >= 31: every shift in [0, 62] is taken as is
            assign sh_next = shift;
        end else begin : g_sh_clamp
            localparam [5:0] BS = B[5:0];
            assign sh_next = shift > BS ? BS : shift;
        end
    endgenerate
    always @(posedge clk) begin
        sh   <= sh_next;
        half <= (half_up && shift != 6'd0) ? {{(AB-1){1'b0}}, 1'b1} << (sh_next - 6'd1) : {AB{1'b0}};
        lo_z <= {lo[OW+1], lo} - {z_out[OW+1], z_out};
        hi_z <= {hi[OW+1], hi} - {z_out[OW+1], z_out};
    end

    localparam signed [AW+1:0] BELOW = -(1 <<< (AW + 1));   // below every AW-bit code, signed or not
    wire signed [31:0] m0s = $signed({1'b0, m0});
    genvar l;
    generate
        for (l = 0; l < PI; l = l + 1) begin : g_lane
            wire        [AW-1:0]   code = rd_data[l*AW +: AW];
            wire signed [AW+1:0]   ext  = {{2{in_signed & code[AW-1]}}, code};
            wire signed [AW+1:0]   diff = ext - z_in;   // in [-2^AW + 1, 2^AW - 1]: exact in AW+2 bits
            // max: the lane's running maximum (AW+2 bits hold every code and BELOW)
            reg  signed [AW+1:0]   mx;
            wire signed [AW+1:0]   mbase = first_b ? BELOW : mx;
            always @(posedge clk) if (v_b && !avg) mx <= (!pad_b && ext > mbase) ? ext : mbase;
            // avg: the running product (x - Z_in)*M0 summed over the window, from the rounding constant
            wire signed [AW+1:0]   xv   = pad_b ? {(AW+2){1'b0}} : diff;
            wire signed [AW+33:0]  term = xv * m0s;      // |term| < 2^(AW+31)
            reg  signed [AB-1:0]   acc;
            wire signed [AB-1:0]   abase = first_b ? half : acc;
            always @(posedge clk) if (v_b && avg) acc <= abase + {{(AB-AW-34){term[AW+33]}}, term};

            // ---- output (cycle a+2): max as is; avg shifted and clamped (§7-8) --------------------------------
            wire signed [AB-1:0]   q    = acc >>> sh;
            wire signed [AB-1:0]   lo_x = {{(AB-CW){lo_z[CW-1]}}, lo_z};
            wire signed [AB-1:0]   hi_x = {{(AB-CW){hi_z[CW-1]}}, hi_z};
            /* verilator lint_off UNUSEDSIGNAL */ // the clamped value fits OW bits: the rest is sign
            wire        [AB-1:0]   cl   = (q > hi_x) ? hi_x : (q < lo_x) ? lo_x : q;
            wire        [AW+OW+1:0] mxe = {{OW{mx[AW+1]}}, mx};    // the code, sign- or zero-extended
            /* verilator lint_on UNUSEDSIGNAL */
            wire        [OW-1:0]   c    = cl[OW-1:0] + z_out[OW-1:0];  // in [lo, hi]: its low OW bits suffice
            assign wr_data[l*OW +: OW] = avg ? c : mxe[OW-1:0];
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
