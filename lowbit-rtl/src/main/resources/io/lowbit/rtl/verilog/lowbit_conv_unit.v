// The conv unit: PO conv modules on the same PI input channels (output-channel parallelism), the codebook weight
// decoders of the preload path, the input centring (x - Z_in, padding and unused RCAs as 0) and the tag pipeline
// that carries each pixel's control (valid window, psum address, output address) beside its data.
// Output channel outStart + s*PO + m is slot s of module m; it leaves on output lane s*PO + m.
module lowbit_conv_unit #(
    parameter integer PO           = 4,
    parameter integer PI           = 4,
    parameter integer PES          = 25,
    parameter integer AW           = 8,
    parameter integer WW           = 8,
    parameter integer IB           = 2,
    parameter integer ACCW         = 32,
    parameter integer PSUM_ENTRIES = 4096,
    parameter integer OUT_AW       = 16,
    parameter integer TW           = $clog2(PES + 1),    // bits of T and of slots
    parameter integer PA_W         = $clog2(PSUM_ENTRIES)
) (
    input  wire                      clk,
    // layer constants
    input  wire [(1<<IB)*WW-1:0]     codebook,
    input  wire signed [AW+1:0]      z_in,
    input  wire                      in_signed,
    input  wire [4:0]                rq_shift,
    input  wire                      rq_half_up,
    input  wire signed [AW+1:0]      rq_zero_point,
    input  wire signed [AW+1:0]      rq_lo,
    input  wire signed [AW+1:0]      rq_hi,
    // preload: weight indexes (lane m*PI + i) and biases (lane m) read the cycle before
    input  wire                      shift_en,
    input  wire [PO*PI*IB-1:0]       w_index,
    input  wire                      bias_shift,
    input  wire [PO*ACCW-1:0]        bias_in,
    // S0
    input  wire                      load,
    input  wire [TW-1:0]             taps_next,
    // S1: tags registered by the controller, feature-map word read at S0
    input  wire                      px_s1,
    input  wire                      in_bounds_s1,
    input  wire [TW:0]               in_count_s1,
    input  wire [PI*AW-1:0]          fm_word_s1,
    input  wire                      load_s1,
    input  wire                      valid_s1,
    input  wire                      first_s1,
    input  wire                      last_s1,
    input  wire [TW-1:0]             slots_s1,
    input  wire [15:0]               out_count_s1,
    input  wire [PA_W-1:0]           pa_s1,
    input  wire [OUT_AW-1:0]         oa_s1,
    // P+2: output write
    output wire                      out_we,
    output wire [OUT_AW-1:0]         out_addr,
    output wire [PO*PES-1:0]         out_be,
    output wire [PO*PES*AW-1:0]      out_data
);
    localparam integer DW = AW + 1;
    localparam integer L  = $clog2(PI);

    // ---- S1: centred inputs -----------------------------------------------------------------------------------
    wire [PI*DW-1:0] x;
    genvar i, m, s;
    generate
        for (i = 0; i < PI; i = i + 1) begin : g_x
            wire [AW-1:0]        code = fm_word_s1[i*AW +: AW];
            wire signed [AW+1:0] ext  = {{2{in_signed & code[AW-1]}}, code};
            wire signed [AW+1:0] diff = ext - z_in;  // in [-2^AW + 1, 2^AW - 1]: exact in DW bits
            /* verilator lint_off UNUSEDSIGNAL */ // the top bit of diff repeats its sign
            wire [AW+1:0]        diff_bits = diff;
            /* verilator lint_on UNUSEDSIGNAL */
            assign x[i*DW +: DW] = (in_bounds_s1 && {{(31-TW){1'b0}}, in_count_s1} > i) ? diff_bits[DW-1:0]
                                                                                         : {DW{1'b0}};
        end
    endgenerate

    // ---- tags: S1 -> P-1 (L cycles), P (L+1), P+2 (L+3) -------------------------------------------------------
    wire [PA_W-1:0] pa_rd;
    lowbit_delay #(.W(PA_W), .D(L)) u_d_ra (.clk(clk), .in(pa_s1), .out(pa_rd));
    wire [PA_W-1:0] pa_p;
    wire            valid_p, first_p, newpass_p;
    wire [TW-1:0]   slots_p;
    lowbit_delay #(.W(PA_W + 3 + TW), .D(L + 1)) u_d_p (.clk(clk),
        .in({pa_s1, valid_s1, first_s1, load_s1, slots_s1}), .out({pa_p, valid_p, first_p, newpass_p, slots_p}));
    wire            we_o;
    wire [TW-1:0]   slots_o;
    wire [15:0]     count_o;
    lowbit_delay #(.W(1 + TW + 16 + OUT_AW), .D(L + 3)) u_d_o (.clk(clk),
        .in({valid_s1 & last_s1, slots_s1, out_count_s1, oa_s1}), .out({we_o, slots_o, count_o, out_addr}));
    assign out_we = we_o;

    // ---- modules ------------------------------------------------------------------------------------------------
    generate
        for (m = 0; m < PO; m = m + 1) begin : g_mod
            wire [PI*WW-1:0] w_dec;
            for (i = 0; i < PI; i = i + 1) begin : g_dec
                lowbit_weight_decoder #(.IB(IB), .WW(WW)) u_dec (.levels(codebook),
                    .index(w_index[(m*PI + i)*IB +: IB]), .weight(w_dec[i*WW +: WW]));
            end
            wire [PES*AW-1:0] y;
            lowbit_conv_module #(.PI(PI), .PES(PES), .AW(AW), .DW(DW), .WW(WW), .ACCW(ACCW), .TW(TW),
                .PSUM_ENTRIES(PSUM_ENTRIES), .PA_W(PA_W)) u_mod (
                .clk(clk), .shift_en(shift_en), .shift_w(w_dec), .bias_shift(bias_shift),
                .bias_in(bias_in[m*ACCW +: ACCW]), .load(load), .taps_next(taps_next), .pe_en(px_s1), .x(x),
                .ps_raddr(pa_rd), .valid_p(valid_p), .first_p(first_p), .newpass_p(newpass_p), .slots_p(slots_p),
                .ps_waddr(pa_p), .rq_shift(rq_shift), .rq_half_up(rq_half_up), .rq_zero_point(rq_zero_point),
                .rq_lo(rq_lo), .rq_hi(rq_hi), .y(y));
            for (s = 0; s < PES; s = s + 1) begin : g_lane
                assign out_data[(s*PO + m)*AW +: AW] = y[s*AW +: AW];
                assign out_be[s*PO + m] = we_o && {{(32-TW){1'b0}}, slots_o} > s && {16'b0, count_o} > s*PO + m;
            end
        end
    endgenerate
endmodule
