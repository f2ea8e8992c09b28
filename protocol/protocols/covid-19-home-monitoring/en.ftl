# COVID-19 home monitoring: English texts.
# Each text is one SMS: keep it short and plain, and use only GSM-7 characters
# (straight quotes, no long dashes, no emoji), or the message costs more than twice as much.
# Variables: { $days } programme length, { $callback } programme phone number,
# { $support } support contact.

## Texts every protocol has

consent = Homewatch will text you once a day for { $days } days to ask how you feel. If you feel worse, a nurse will call you. Msg and data rates may apply. Reply STOP at any time to stop.
enrolled = You are signed up for Homewatch. We will text you once a day for { $days } days. Questions? Call { $callback }. Reply HELP for help, STOP to stop.
opted-out = You will get no more texts from Homewatch. Reply START to join again.
opted-in = You are signed up for Homewatch again. We will text you once a day. Reply STOP to stop.
help = Homewatch support: { $support }. This number is not for symptoms. In an emergency, call 911. Reply STOP to stop.
programme-ended = Your Homewatch check-ins are over. Thank you! To join again, reply START or ask your care team.
not-understood = Sorry, we did not understand your answer.
no-check-in-open = Thank you. We have no question for you right now. If you feel worse, text WORSE. In an emergency, call 911.

## Check-in

question-feeling = How are you feeling compared to yesterday? Reply 1 if better, 2 if the same, 3 if worse.
question-breathing = Is it harder than usual for you to breathe? Reply YES or NO.

outcome-thanks = Thank you! We will text you again at your next check-in. In an emergency, call 911.
outcome-thanks-worse = Thank you. We are sorry you feel worse. If anything changes, text WORSE at any time. In an emergency, call 911.
outcome-nurse-call = Thank you. A nurse will call you soon. If this is an emergency, call 911. If you miss our call, call us at { $callback }.

## Words a patient may reply (comma-separated; case and surrounding punctuation are ignored)

start-words = ready, hi, hello, check in, checkin
answer-feeling-better = 1, better, good
answer-feeling-same = 2, same, the same, no change
answer-feeling-worse = 3, worse, bad
answer-breathing-yes = yes, y, yeah, yep
answer-breathing-no = no, n, nope
