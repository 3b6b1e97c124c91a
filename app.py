"""Start the careerbot web chat: ``python app.py`` (see README for settings)."""

from careerbot.web import launch

if __name__ == "__main__":
    launch()
