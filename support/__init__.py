"""What the section scripts share, one job a module: start (settings
checked before Keras loads), cli (flags), ending (signals, exit status,
the console), files (whole-file writes), speed, baseline (the exact
position-only baseline), evaluation, progress and report (the
classifiers' output), experiment (a comparison's repeats), summary
(tables), plots, ablations (section 5's blind models), user_csv and
user_model (predict.py's checks). Imports run one way: scripts ->
support -> data.py. Importing it changes nothing in the importing
program."""
