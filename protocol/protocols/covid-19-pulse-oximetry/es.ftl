# COVID-19 home monitoring con pulsioxímetro: textos en español (borrador).
# Cada texto es un SMS: breve y sencillo. Variables: { $days } días del programa,
# { $callback } teléfono del programa, { $support } contacto de ayuda, { $per_day }
# controles al día (1 o 2). Las variantes ("1 día" o "14 días") se eligen según el número.

## Textos de todo protocolo

consent = Homewatch le enviará { $per_day ->
        [1] un mensaje al día
       *[other] dos mensajes al día
    } durante { $days ->
        [one] 1 día
       *[other] { $days } días
    } para preguntarle cómo se siente y su nivel de oxígeno. Si hace falta, una enfermera le llamará. Pueden aplicarse tarifas de mensajes y datos. Responda STOP en cualquier momento para no recibir más mensajes.
enrolled = Le hemos inscrito en Homewatch. Le escribiremos { $per_day ->
        [1] una vez al día
       *[other] dos veces al día
    } durante { $days ->
        [one] 1 día
       *[other] { $days } días
    }. ¿Preguntas? Llame al { $callback }. Responda HELP para ayuda o STOP para no recibir más mensajes.
opted-out = No recibirá más mensajes de Homewatch. Responda START para volver a inscribirse.
opted-in = Le hemos inscrito de nuevo en Homewatch. Le escribiremos { $per_day ->
        [1] una vez al día
       *[other] dos veces al día
    }. Responda STOP para no recibir más mensajes.
help = Ayuda de Homewatch: { $support }. Este número no es para síntomas. En una emergencia, llame al 911. Responda STOP para no recibir más mensajes.
programme-ended = Sus controles de Homewatch han terminado. ¡Gracias! Para volver a inscribirse, responda START o hable con su equipo de atención.
not-understood = Perdone, no entendimos su respuesta.
no-check-in-open = Gracias. Ahora no tenemos ninguna pregunta para usted. Si se siente peor, escriba PEOR. En una emergencia, llame al 911.
reminder = Hoy no hemos recibido su respuesta. Responda a nuestra última pregunta, o escriba PEOR en cualquier momento. En una emergencia, llame al 911.
handed-to-staff = Gracias. No pudimos entender sus respuestas; una persona de su equipo de atención las revisará. En una emergencia, llame al 911.

## Control diario

question-feeling = ¿Cómo se siente comparado con ayer? Responda 1 si mejor, 2 si igual, 3 si peor.
question-breathing = ¿Le cuesta respirar más de lo normal? Responda SÍ o NO.
question-oxygen = Descanse unos minutos y mida su oxígeno con el pulsioxímetro. Responda con el número que muestra, por ejemplo 96.

outcome-thanks = ¡Gracias! Le escribiremos de nuevo en su próximo control. En una emergencia, llame al 911.
outcome-review = Gracias. Una persona de su equipo de atención revisará hoy su medición. Si se siente peor, escriba PEOR. En una emergencia, llame al 911.
outcome-nurse-call = Gracias. Una enfermera le llamará pronto. Si es una emergencia, llame al 911. Si no puede contestar, llámenos al { $callback }.

## Palabras que el paciente puede responder (separadas por comas; no importan mayúsculas,
## acentos ni signos)

start-words = listo, lista, hola, control
ignore-words = gracias, muchas gracias, por favor, mil gracias
answer-feeling-better = 1, mejor, me siento mejor, estoy mejor, bien
answer-feeling-same = 2, igual, lo mismo, sigo igual, estoy igual
answer-feeling-worse = 3, peor, mal, me siento peor, estoy peor
answer-breathing-yes = sí, s, claro
answer-breathing-no = no, n
