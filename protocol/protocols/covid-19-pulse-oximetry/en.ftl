# COVID-19 home monitoring with pulse oximetry: English texts.
# Each text is one SMS: keep it short and plain, and use only GSM-7 characters.
# Variables: { $days } programme length, { $callback } programme phone number,
# { $support } support contact, { $per_day } check-ins a day (1 or 2). Plural choices
# ("once a day" or "twice a day", "1 day" or "14 days") are made on these numbers;
# their lines are not sent.

## Texts every protocol has

consent = Homewatch will text you { $per_day ->
        [1] once a day
       *[other] twice a day
    } for { $days ->
        [one] 1 day
       *[other] { $days } days
    } to ask how you feel and for your oxygen level. If needed, a nurse will call you. Msg and data rates may apply. Reply STOP at any time to stop.
enrolled = You are signed up for Homewatch. We will text you { $per_day ->
        [1] once a day
       *[other] twice a day
    } for { $days ->
        [one] 1 day
       *[other] { $days } days
    }. Questions? Call { $callback }. Reply HELP for help, STOP to stop.
opted-out = You will get no more texts from Homewatch. Reply START to join again.
opted-in = You are signed up for Homewatch again. We will text you { $per_day ->
        [1] once a day
       *[other] twice a day
    }. Reply STOP to stop.
help = Homewatch support: { $support }. This number is not for symptoms. In an emergency, call 911. Reply STOP to stop.
programme-ended = Your Homewatch check-ins are over. Thank you! To join again, reply START or ask your care team.
not-understood = Sorry, we did not understand your answer.
no-check-in-open = Thank you. We have no question for you right now. If you feel worse, text WORSE. In an emergency, call 911.
reminder = We have not heard from you today. Please answer our last question, or text WORSE at any time. In an emergency, call 911.
handed-to-staff = Thank you. We could not read your answers, so a member of your care team will look at them. In an emergency, call 911.

## Check-in

question-feeling = How are you feeling compared to yesterday? Reply 1 if better, 2 if the same, 3 if worse.
question-breathing = Is it harder than usual for you to breathe? Reply YES or NO.
question-oxygen = Please rest for a few minutes, then check your oxygen level with the oximeter. Reply with the number it shows, for example 96.

outcome-thanks = Thank you! We will text you again at your next check-in. In an emergency, call 911.
outcome-review = Thank you. A member of your care team will look at your reading today. If you feel worse, text WORSE. In an emergency, call 911.
outcome-nurse-call = Thank you. A nurse will call you soon. If this is an emergency, call 911. If you miss our call, call us at { $callback }.

## Words a patient may reply (comma-separated; case, accents and punctuation are ignored)

start-words = ready, hi, hello, check in, checkin
ignore-words = thanks, thank you, thanks so much, thx, ty, please, pls
answer-feeling-better = 1, better, good, feel better, feeling better, a bit better, much better
answer-feeling-same = 2, same, the same, no change, about the same, same as yesterday
answer-feeling-worse = 3, worse, bad, feel worse, feeling worse, worse today
answer-breathing-yes = yes, y, yeah, yep, yes it is
answer-breathing-no = no, n, nope, not really
