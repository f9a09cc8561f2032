"""Hip2Knee's data, domain rules, API and tasks."""
