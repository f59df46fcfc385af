"""gru_course: the book's coursework, the exercise framework (:mod:`gru_course.exercises`) and one
exercise set per chapter (:mod:`gru_course.sets`). It imports :mod:`gru_lib` and :mod:`gru_book`;
neither of them imports it.
"""
