"""The forecast: what a slot is worth with an average host and what each host adds, learned from results."""
from forecast.model import Forecast, ForecastSettings, fit_forecast

__all__ = ["Forecast", "ForecastSettings", "fit_forecast"]
