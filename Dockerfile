FROM python:3.13-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN DEBUG=true python manage.py collectstatic --no-input \
 && useradd --system --home /app evalportal && mkdir -p var && chown -R evalportal var
USER evalportal
EXPOSE 8000
CMD ["gunicorn", "evalportal.wsgi", "-c", "gunicorn.conf.py"]
