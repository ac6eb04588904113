"""Answering: from a question and a loaded version to a short answer, its passages or a refusal.

`questions` analyses the question once; `spelling` restores its case and mends typos;
`extractors` find typed spans in running text (names, numbers, dates, speakers, chunks);
`rules` picks a span by hand-written rules; `reader` is the trained span reader and the
arbiter that weighs it against the rules; `loaded` holds one loaded version and decides.
"""
