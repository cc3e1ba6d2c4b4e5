"""Action ids shared by the cards that send them and the router that receives them."""

from typing import Final

ACTION: Final = "action"

SHOW_MENU: Final = "menu.show"
SHOW_HELP: Final = "help.show"
SWITCH_LANGUAGE: Final = "language.switch"
SHOW_TRAININGS: Final = "trainings.list"
OPEN_SIGN_UP: Final = "trainings.sign_up.open"
SIGN_UP: Final = "trainings.sign_up"
SHOW_MY_SIGN_UPS: Final = "sign_ups.mine"
CANCEL_SIGN_UP: Final = "sign_ups.cancel"
SHOW_ROSTER: Final = "trainings.roster"
SET_SEATS: Final = "trainings.seats.set"
