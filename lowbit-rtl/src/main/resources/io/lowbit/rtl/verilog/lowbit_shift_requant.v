// Shift requantization (docs/integer-semantics.md §9, ShiftRequantizer.requantize):
//   y = clamp(Z_out + round(acc / 2^shift), lo, hi), round = FLOOR or ROUND_HALF_UP (adds 2^(shift-1) first).
// ReLU is lo = Z_out. The sum is formed in ACCW+1 bits, so the rounding constant cannot overflow.
// Combinational; the conv module registers its output.
module lowbit_shift_requant #(
    parameter integer ACCW = 32,
    parameter integer OW   = 8    // output code width; lo/hi/zero_point are OW+2-bit signed (int8 and uint8 codes)
) (
    input  wire signed [ACCW-1:0] acc,
    input  wire [4:0]             shift,      // 0..31
    input  wire                   half_up,    // 1: ROUND_HALF_UP, 0: FLOOR
    input  wire signed [OW+1:0]   zero_point,
    input  wire signed [OW+1:0]   lo,
    input  wire signed [OW+1:0]   hi,
    output wire [OW-1:0]          y
);
    wire signed [ACCW:0]   acc_ext = {acc[ACCW-1], acc};
    wire signed [ACCW:0]   half    = (half_up && shift != 5'd0) ? ({{ACCW{1'b0}}, 1'b1} << (shift - 5'd1))
                                                                 : {(ACCW+1){1'b0}};
    wire signed [ACCW:0]   t       = acc_ext + half;
    wire signed [ACCW:0]   q       = t >>> shift;
    wire signed [ACCW+1:0] v       = {q[ACCW], q} + {{(ACCW-OW){zero_point[OW+1]}}, zero_point};
    wire signed [ACCW+1:0] lo_ext  = {{(ACCW-OW){lo[OW+1]}}, lo};
    wire signed [ACCW+1:0] hi_ext  = {{(ACCW-OW){hi[OW+1]}}, hi};
    wire signed [ACCW+1:0] c       = (v > hi_ext) ? hi_ext : (v < lo_ext) ? lo_ext : v;
    /* verilator lint_off UNUSEDSIGNAL */ // the clamp range fits OW bits: the upper bits of c are its sign
    wire [ACCW+1:0]        c_bits  = c;
    /* verilator lint_on UNUSEDSIGNAL */
    assign y = c_bits[OW-1:0];
endmodule
