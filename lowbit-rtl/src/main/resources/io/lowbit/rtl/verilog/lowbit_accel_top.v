// Accelerator top for one layer: CSRs (layer descriptor), instruction memory, weight-index and bias memories
// (one bank), the input feature map (word = PI channels of one pixel, address (c/PI*H + y)*W + x) and the output
// feature map (word = PO*PES lanes, output channel outStart + s*PO + m on lane s*PO + m, address
// (og*H_out + y)*W_out + x with og = outStart / (PO*slots); a window's lanes are written in ceil(slots/RQ)
// byte-enabled batches), the controller and the conv unit.
// The host writes every memory through the host_* port (host_sel picks the memory) and reads the output map.
// CSR words: 0 H_in, 1 W_in, 2 W_out, 3 kH, 4 kW, 5 sH, 6 sW, 7 padLeft, 8 n_instr, 9 Z_in, 10 in_signed,
//            11 shift, 12 half_up, 13 Z_out, 14 lo, 15 hi, 16 + e: codebook entry e.
module lowbit_accel_top #(
    parameter integer PO           = 4,
    parameter integer PI           = 4,
    parameter integer PES          = 25,
    parameter integer AW           = 8,
    parameter integer WW           = 8,
    parameter integer IB           = 2,
    parameter integer ACCW         = 32,
    parameter integer RQ           = 25,     // requantizers per conv module
    parameter integer MUL_PE       = 0,      // PE style: 0 codebook-select, 1 multiplier per PE
    parameter integer PACK         = 1,      // products per multiplication (packed DSP48 slices)
    parameter integer PSUM_ENTRIES = 4096,
    parameter integer IMEM_DEPTH   = 1024,
    parameter integer WMEM_DEPTH   = 4096,
    parameter integer BMEM_DEPTH   = 1024,
    parameter integer FM_DEPTH     = 49152,
    parameter integer OUT_DEPTH    = 49152,
    parameter integer HOST_W       = 256,
    parameter integer IMEM_AW      = $clog2(IMEM_DEPTH),
    parameter integer WMEM_AW      = $clog2(WMEM_DEPTH),
    parameter integer BMEM_AW      = $clog2(BMEM_DEPTH),
    parameter integer FM_AW        = $clog2(FM_DEPTH),
    parameter integer OUT_AW       = $clog2(OUT_DEPTH)
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire                   start,
    output wire                   busy,
    output wire                   done,
    // host access: sel 0 CSR, 1 instructions, 2 weight indexes, 3 biases, 4 input map
    input  wire                   host_we,
    input  wire [2:0]             host_sel,
    /* verilator lint_off UNUSEDSIGNAL */ // one address port for memories of different depths
    input  wire [31:0]            host_addr,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [HOST_W-1:0]      host_wdata,
    input  wire [OUT_AW-1:0]      host_out_addr,
    output reg  [PO*PES*AW-1:0]   host_out_data,
    output wire                   out_write,     // an output-map word is written this cycle (performance probe)
    output wire [31:0]            cycles,
    output wire [31:0]            stream_cycles,
    output wire [31:0]            stall_cycles
);
    localparam integer TW     = $clog2(PES + 1);
    localparam integer PA_W   = $clog2(PSUM_ENTRIES);
    localparam integer NCSR   = 16 + (1 << IB);
    localparam integer WMEM_W = PO * PI * IB;
    localparam integer BMEM_W = PO * ACCW;
    localparam integer FM_W   = PI * AW;
    localparam integer OUT_W  = PO * PES * AW;
    localparam integer DRAIN  = $clog2(PI) + 4;

    /* verilator lint_off UNUSEDSIGNAL */ // host words are as wide as the widest memory; CSRs use their low bits
    wire [HOST_W-1:0] hw = host_wdata;
    reg  [31:0] csr [0:NCSR-1];
    /* verilator lint_on UNUSEDSIGNAL */
    reg  [255:0]       imem [0:IMEM_DEPTH-1];
    reg  [WMEM_W-1:0]  wmem [0:WMEM_DEPTH-1];
    reg  [BMEM_W-1:0]  bmem [0:BMEM_DEPTH-1];
    reg  [FM_W-1:0]    fmem [0:FM_DEPTH-1];
    reg  [OUT_W-1:0]   omem [0:OUT_DEPTH-1];

    always @(posedge clk) begin
        if (host_we) begin
            case (host_sel)
                3'd0: csr[host_addr[$clog2(NCSR)-1:0]] <= hw[31:0];
                3'd1: imem[host_addr[IMEM_AW-1:0]] <= hw[255:0];
                3'd2: wmem[host_addr[WMEM_AW-1:0]] <= hw[WMEM_W-1:0];
                3'd3: bmem[host_addr[BMEM_AW-1:0]] <= hw[BMEM_W-1:0];
                default: fmem[host_addr[FM_AW-1:0]] <= hw[FM_W-1:0];
            endcase
        end
    end

    // codebook levels from the CSRs
    wire [(1<<IB)*WW-1:0] codebook;
    genvar e, b;
    generate
        for (e = 0; e < (1 << IB); e = e + 1) begin : g_cb
            assign codebook[e*WW +: WW] = csr[16 + e][WW-1:0];
        end
    endgenerate

    wire [IMEM_AW-1:0] imem_addr;
    wire [WMEM_AW-1:0] wmem_addr;
    wire [BMEM_AW-1:0] bmem_addr;
    wire [FM_AW-1:0]   fm_addr;
    wire               shift_en, bias_shift, load, px_s1, in_bounds_s1, load_s1, valid_s1, first_s1, last_s1;
    wire [TW-1:0]      taps_next, slots_s1;
    wire [TW:0]        in_count_s1;
    wire [15:0]        out_count_s1;
    wire [PA_W-1:0]    pa_s1;
    wire [OUT_AW-1:0]  oa_s1;

    lowbit_controller #(.TW(TW), .PA_W(PA_W), .IMEM_AW(IMEM_AW), .WMEM_AW(WMEM_AW),
        .BMEM_AW(BMEM_AW), .FM_AW(FM_AW), .OUT_AW(OUT_AW), .DRAIN(DRAIN), .PES(PES), .RQ(RQ)) u_ctrl (
        .clk(clk), .rst(rst), .start(start), .busy(busy), .done(done),
        .h_in(csr[0][15:0]), .w_in(csr[1][15:0]), .w_out(csr[2][15:0]), .k_h(csr[3][7:0]), .k_w(csr[4][7:0]),
        .s_h(csr[5][7:0]), .s_w(csr[6][7:0]), .pad_left(csr[7][7:0]), .n_instr(csr[8][15:0]),
        .imem_addr(imem_addr), .imem_data(imem[imem_addr]), .wmem_addr(wmem_addr), .bmem_addr(bmem_addr),
        .shift_en(shift_en), .bias_shift(bias_shift), .fm_addr(fm_addr), .load(load), .taps_next(taps_next),
        .px_s1(px_s1), .in_bounds_s1(in_bounds_s1), .in_count_s1(in_count_s1), .load_s1(load_s1),
        .valid_s1(valid_s1), .first_s1(first_s1), .last_s1(last_s1), .slots_s1(slots_s1),
        .out_count_s1(out_count_s1), .pa_s1(pa_s1), .oa_s1(oa_s1), .cycles(cycles),
        .stream_cycles(stream_cycles), .stall_cycles(stall_cycles));

    // synchronous reads (block RAM)
    reg [WMEM_W-1:0] w_index;
    reg [BMEM_W-1:0] bias_word;
    reg [FM_W-1:0]   fm_word;
    always @(posedge clk) begin
        w_index <= wmem[wmem_addr];
        bias_word <= bmem[bmem_addr];
        fm_word <= fmem[fm_addr];
    end

    wire               out_we;
    wire [OUT_AW-1:0]  out_addr;
    wire [PO*PES-1:0]  out_be;
    wire [OUT_W-1:0]   out_data;
    lowbit_conv_unit #(.PO(PO), .PI(PI), .PES(PES), .AW(AW), .WW(WW), .IB(IB), .ACCW(ACCW), .RQ(RQ),
        .MUL_PE(MUL_PE), .PACK(PACK),
        .PSUM_ENTRIES(PSUM_ENTRIES), .OUT_AW(OUT_AW), .TW(TW), .PA_W(PA_W)) u_conv (
        .clk(clk), .codebook(codebook), .z_in(csr[9][AW+1:0]), .in_signed(csr[10][0]), .rq_shift(csr[11][4:0]),
        .rq_half_up(csr[12][0]), .rq_zero_point(csr[13][AW+1:0]), .rq_lo(csr[14][AW+1:0]),
        .rq_hi(csr[15][AW+1:0]), .shift_en(shift_en), .w_index(w_index), .bias_shift(bias_shift),
        .bias_in(bias_word), .load(load), .taps_next(taps_next), .px_s1(px_s1), .in_bounds_s1(in_bounds_s1),
        .in_count_s1(in_count_s1), .fm_word_s1(fm_word), .load_s1(load_s1), .valid_s1(valid_s1),
        .first_s1(first_s1), .last_s1(last_s1), .slots_s1(slots_s1), .out_count_s1(out_count_s1), .pa_s1(pa_s1),
        .oa_s1(oa_s1), .out_we(out_we), .out_addr(out_addr), .out_be(out_be), .out_data(out_data));

    assign out_write = out_we;

    // output map: byte-enabled write, host read
    generate
        for (b = 0; b < PO * PES; b = b + 1) begin : g_obyte
            always @(posedge clk) if (out_we && out_be[b]) omem[out_addr][b*AW +: AW] <= out_data[b*AW +: AW];
        end
    endgenerate
    always @(posedge clk) host_out_data <= omem[host_out_addr];
endmodule
