"""One module of exercises per chapter: ``gru_lib.exercise_sets.<chapter>`` defines ``q1``, ``q2``, …"""
