"""Making the reader: training data, fine-tuning, packing for a GPU machine, and calibration.

Nothing here runs when Verbatim answers: the run-time reader (index/answering/reader/) is the
model file, its tokenizer and the calibrated arbiter. `examples` and `written` turn the data in
../shared and eval/ into examples, split by article (`splits`); `negatives` adds passages that
do not answer; `finetune` trains and exports (the `train` extra); `pack` does the same on a GPU
machine; `calibration` fits the arbiter on the development split.
"""
