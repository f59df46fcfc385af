"""One module of exercises per chapter: ``gru_course.sets.<chapter>`` defines ``q1``, ``q2``, …"""
