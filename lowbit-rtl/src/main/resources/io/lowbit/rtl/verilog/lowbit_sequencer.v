// Layer sequencer: executes the compute instructions of the program in the instruction memory, one after the
// other (docs/accelerator.md §3, docs/rtl.md §1); the DMA instructions run on lowbit_dma from their own queue,
// concurrently. Opcode w0[3:2]:
//   1 layer        : the layer descriptor at descriptor address w2 becomes the CSRs (1 cycle); with w0[4] (the
//                    first layer of a program with DMA) it waits until load_input has completed
//   0 conv_pass    : the first of the layer's n_instr (CSR 8) passes; the conv controller runs them all (this
//                    one from base = this instruction, the others from its pass loop) and the program continues
//                    with the next instruction
//   2 pool_pass    : the pool unit runs the layer described by the CSRs
//   3 swap_buffers : the output feature-map buffer becomes the input buffer (ping-pong, 1 cycle)
// The program ends at prog_len. Each instruction costs one fetch cycle; a conv or pool run costs its unit's own
// cycles (from its start to its last write) plus one cycle in which the sequencer sees the unit's done.
// A conv pass waits for its weight bank in the conv controller. Descriptors and instructions are written by the
// host. compute_done: the last instruction has been fetched (store_output may start).
module lowbit_sequencer #(
    parameter integer IMEM_AW = 10,
    parameter integer DESC_AW = 6
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               start,
    output wire               busy,
    input  wire [15:0]        prog_len,
    output wire [IMEM_AW-1:0] pc_addr,
    /* verilator lint_off UNUSEDSIGNAL */ // the sequencer reads the opcode of w0 and w2
    input  wire [255:0]       ins,           // imem[pc_addr]
    /* verilator lint_on UNUSEDSIGNAL */
    output wire               csr_load,      // this edge: CSRs <= descriptor[desc_addr]
    output wire [DESC_AW-1:0] desc_addr,
    output wire               conv_start,
    input  wire               conv_done,
    output wire               pool_start,
    input  wire               pool_done,
    output reg                buf_sel,       // the input buffer of the running layer
    output reg                pool_active,   // the last unit started is the pool unit (its counters are shown)
    output reg                unit_done,     // a conv layer or pool finished (a pulse)
    input  wire               input_done,    // lowbit_dma: load_input has completed
    output reg                compute_done   // from the final fetch to the next start
);
    localparam [1:0] IDLE = 2'd0, FETCH = 2'd1, CONV = 2'd2, POOL = 2'd3;
    localparam [1:0] OP_CONV = 2'd0, OP_LAYER = 2'd1, OP_POOL = 2'd2, OP_SWAP = 2'd3;
    reg [1:0]  state;
    reg [15:0] pc;
    wire [1:0] op  = ins[3:2];
    wire       in_wait = op == OP_LAYER && ins[4] && !input_done;
    wire       fetch = state == FETCH && pc != prog_len && !in_wait;
    assign busy       = state != IDLE;
    assign pc_addr    = pc[IMEM_AW-1:0];
    assign desc_addr  = ins[64 +: DESC_AW];
    assign csr_load   = fetch && op == OP_LAYER;
    assign conv_start = fetch && op == OP_CONV;
    assign pool_start = fetch && op == OP_POOL;

    always @(posedge clk) begin
        if (rst) begin
            state <= IDLE;
            buf_sel <= 1'b0;
            pool_active <= 1'b0;
            unit_done <= 1'b0;
            compute_done <= 1'b0;
        end else begin
            unit_done <= 1'b0;
            case (state)
                IDLE: if (start) begin
                    state <= FETCH;
                    pc <= 16'd0;
                    buf_sel <= 1'b0;
                    compute_done <= 1'b0;
                end
                FETCH: begin
                    if (pc == prog_len) begin
                        state <= IDLE;
                        compute_done <= 1'b1;
                    end else if (!in_wait) begin
                        case (op)
                            OP_CONV: begin state <= CONV; pool_active <= 1'b0; end
                            OP_POOL: begin state <= POOL; pool_active <= 1'b1; pc <= pc + 16'd1; end
                            OP_SWAP: begin buf_sel <= ~buf_sel; pc <= pc + 16'd1; end
                            default: pc <= pc + 16'd1;
                        endcase
                    end
                end
                CONV: begin
                    if (conv_done) begin
                        state <= FETCH;
                        pc <= pc + 16'd1;
                        unit_done <= 1'b1;
                    end
                end
                default: begin // POOL
                    if (pool_done) begin
                        state <= FETCH;
                        unit_done <= 1'b1;
                    end
                end
            endcase
        end
    end
endmodule
