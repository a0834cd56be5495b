// Shift requantization (docs/integer-semantics.md §9, ShiftRequantizer.requantize):
//   y = clamp(Z_out + round(acc / 2^shift), lo, hi), round = FLOOR or ROUND_HALF_UP (adds 2^(shift-1) first).
// ReLU is lo = Z_out. Combinational; the conv module registers its output.
// Arranged to need no wide adder (the same integers, docs/rtl.md §4):
//   * one arithmetic shift of {acc, 0} gives a = floor(acc / 2^shift) and the bit below it, acc[shift-1] (0 for
//     shift 0), and round(acc / 2^shift) = a + r with r = half_up & acc[shift-1]: floor((acc + 2^(s-1)) / 2^s)
//     adds 1 exactly when the dropped bits are >= 2^(s-1);
//   * clamp(Z_out + q, lo, hi) = Z_out + clamp(q, lo - Z_out, hi - Z_out): the range test compares a with the
//     layer constants (hi - Z_out) - r and (lo - Z_out) - r (OW+4 bits), and only an in-range code needs the
//     OW-bit sum a + Z_out + r; a clamped one is lo or hi itself.
// lo - Z_out and hi - Z_out depend on the layer only, so synthesis shares them between the requantizers.
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
    wire signed [ACCW:0]   b  = $signed({acc, 1'b0}) >>> shift;   // {floor(acc / 2^shift), acc[shift-1]}
    wire signed [ACCW-1:0] a  = b[ACCW:1];
    wire                   r  = half_up & b[0];                   // round(acc / 2^shift) = a + r
    wire signed [OW+2:0]   lz = {lo[OW+1], lo} - {zero_point[OW+1], zero_point};
    wire signed [OW+2:0]   hz = {hi[OW+1], hi} - {zero_point[OW+1], zero_point};
    // a + r > hz <=> a > hz - r;  a + r < lz <=> a < lz - r
    wire signed [OW+3:0]   ht = {hz[OW+2], hz} - {{(OW+3){1'b0}}, r};
    wire signed [OW+3:0]   lt = {lz[OW+2], lz} - {{(OW+3){1'b0}}, r};
    wire signed [ACCW-1:0] hx = {{(ACCW-OW-4){ht[OW+3]}}, ht};
    wire signed [ACCW-1:0] lx = {{(ACCW-OW-4){lt[OW+3]}}, lt};
    wire        [OW-1:0]   in_range = a[OW-1:0] + zero_point[OW-1:0] + {{(OW-1){1'b0}}, r};
    assign y = (a > hx) ? hi[OW-1:0] : (a < lx) ? lo[OW-1:0] : in_range;
endmodule
