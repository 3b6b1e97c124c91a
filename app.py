"""Start the careerbot web chat: ``python app.py`` (see README for settings)."""

from careerbot.web import main

if __name__ == "__main__":
    main()
