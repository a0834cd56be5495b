// Writes a conv batch into a feature-map buffer in the input-map layout (docs/rtl.md §2): channel c of pixel p is
// lane c % PI of the word of group g = c / PI, and group g lives in bank g % NB at in-bank address
// (g / NB)*HW + p (HW = the map's H*W). A batch carries the lanes j = s*PO + m of RQ slots, i.e. output channels
// outStart + j: at most RQ*PO consecutive channels, which touch at most NB groups (RtlParameters.fmBanks), one per
// bank, so every batch is written in its own cycle with one write port per bank, as the requantizers produce it:
// the output path keeps one batch per cycle (no serializer, no extra cycles).
// The tag (out_tag) is {r0, g0, pix}: outStart = g0*PI + r0, pix = y*W_out + x.
module lowbit_fm_writer #(
    parameter integer PO    = 4,
    parameter integer PI    = 4,
    parameter integer PES   = 25,
    parameter integer AW    = 8,
    parameter integer NB    = 8,     // banks, a power of two
    parameter integer LB    = 3,     // log2(NB)
    parameter integer BA_W  = 13,    // in-bank address bits
    parameter integer RW    = 8,     // bits of r0
    parameter integer TAG_W = RW + 16 + BA_W
) (
    input  wire                  we,
    input  wire [TAG_W-1:0]      out_tag,
    input  wire [PO*PES-1:0]     lane_en,    // lanes of the batch being written (s*PO + m)
    input  wire [PO*PES*AW-1:0]  lane_data,
    input  wire [BA_W-1:0]       hw,         // H_out * W_out
    output reg  [NB-1:0]         bank_we,
    output reg  [NB*BA_W-1:0]    bank_addr,
    output reg  [NB*PI-1:0]      bank_be,
    output reg  [NB*PI*AW-1:0]   bank_data
);
    wire [RW-1:0]   r0  = out_tag[TAG_W-1 -: RW];
    wire [15:0]     g0  = out_tag[BA_W +: 16];
    wire [BA_W-1:0] pix = out_tag[BA_W-1:0];

    // group and lane of lane j: (r0 + j) = (r0 + j % PI) + PI * (j / PI), with r0 < PI
    function [15:0] group_of(input [RW-1:0] r, input [15:0] g, input integer j);
        /* verilator lint_off UNUSEDSIGNAL */ // groups are 16-bit
        reg [31:0] t;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            t = {16'b0, g} + j / PI + (({{(32-RW){1'b0}}, r} + j % PI >= PI) ? 32'd1 : 32'd0);
            group_of = t[15:0];
        end
    endfunction
    function integer lane_of(input [RW-1:0] r, input integer j);
        integer t;
        begin
            t = {{(32-RW){1'b0}}, r} + j % PI;
            lane_of = t >= PI ? t - PI : t;
        end
    endfunction

    // per lane: its bank and lane in the word; per bank: the group it receives (the batch's groups are < NB
    // consecutive ones, so at most one per bank) and, after the lane loop, its in-bank address: NB address
    // multipliers (plane * HW), not one per lane
    integer b, j, l;
    reg [15:0] g;
    reg [15:0] bank_group [0:NB-1];
    /* verilator lint_off UNUSEDSIGNAL */ // the plane index of a group: its high bits exceed every real map
    reg [31:0] a;
    /* verilator lint_on UNUSEDSIGNAL */
    always @* begin
        bank_we = {NB{1'b0}};
        bank_addr = {(NB*BA_W){1'b0}};
        bank_be = {(NB*PI){1'b0}};
        bank_data = {(NB*PI*AW){1'b0}};
        g = 16'd0;
        b = 0;
        l = 0;
        a = 32'd0;
        for (b = 0; b < NB; b = b + 1) bank_group[b] = 16'd0;
        for (j = 0; j < PO * PES; j = j + 1) begin
            if (we && lane_en[j]) begin
                g = group_of(r0, g0, j);
                b = NB == 1 ? 0 : {16'b0, g} % NB;
                l = lane_of(r0, j);
                bank_we[b] = 1'b1;
                bank_group[b] = g;
                bank_be[b*PI + l] = 1'b1;
                bank_data[(b*PI + l)*AW +: AW] = lane_data[j*AW +: AW];
            end
        end
        for (b = 0; b < NB; b = b + 1) begin
            a = {16'b0, bank_group[b] >> LB} * {{(32-BA_W){1'b0}}, hw} + {{(32-BA_W){1'b0}}, pix};
            bank_addr[b*BA_W +: BA_W] = a[BA_W-1:0];
        end
    end
endmodule
