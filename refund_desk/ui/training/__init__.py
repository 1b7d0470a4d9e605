"""Training mode's windows and widgets (PySide6): the training window, its pages' widgets, the
release confirmation, the trainer's report (on screen and as PDF) and the authoring dialog.

The desk enters through :func:`refund_desk.ui.training.entry.open_training`, imported on first
use. Nothing is imported here, so loading the package costs nothing on the desk's start-up path.
The rules, grading and words they show live in the Qt-free :mod:`refund_desk.training`.
"""
