// A module's chain of PES PEs (lowbit_pe) over the position sums of its RCAs' products. Kernels of T <= PES taps
// occupy segments [s*T, (s+1)*T) side by side (slots = PES / T); PE p starts a segment iff T divides p.
// Summing the PI RCAs per position before the chain instead of after PI separate chains is exact (the same sums
// in another order) and needs one chain adder per position instead of PI chain adders and an adder tree.
module lowbit_chain #(
    parameter integer PES = 25,
    parameter integer SW  = 18,   // position sum bits
    parameter integer CW  = 23,   // chain bits: SW + $clog2(PES) hold any sum of PES terms
    parameter integer TW  = 5     // bits of T
) (
    input  wire              clk,
    input  wire              en,
    input  wire [TW-1:0]     taps,    // T of the pixel whose terms enter the chain
    input  wire [PES*SW-1:0] terms,   // PE p's term at bits [p*SW +: SW]
    output wire [PES*CW-1:0] chain    // PE p's partial sum at bits [p*CW +: CW]
);
    // the divisors of the constant p are known at elaboration: no runtime divider
    function seg_start_of(input integer pos, input [TW-1:0] t);
        integer d;
        begin
            seg_start_of = (pos == 0);
            for (d = 1; d <= pos; d = d + 1)
                if (pos % d == 0 && {{(32-TW){1'b0}}, t} == d) seg_start_of = 1'b1;
        end
    endfunction

    wire [(PES+1)*CW-1:0] link;
    assign link[CW-1:0] = {CW{1'b0}};
    genvar p;
    generate
        for (p = 0; p < PES; p = p + 1) begin : g_pe
            wire [CW-1:0] out;
            lowbit_pe #(.SW(SW), .CW(CW)) u_pe (.clk(clk), .en(en), .seg_start(seg_start_of(p, taps)),
                .term(terms[p*SW +: SW]), .psum_in(link[p*CW +: CW]), .psum_out(out));
            assign link[(p+1)*CW +: CW] = out;
        end
    endgenerate
    assign chain = link[(PES+1)*CW-1:CW];
endmodule
